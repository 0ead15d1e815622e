// Scenario 9: what a run costs the machine with a zero-latency model, in the library-driver shape
// (a fresh process, the context passed as a string to run(), warm = after one warm-up run):
// the cost of one more iteration, the fixed cost of a 1-iteration run, and 10 iterations over
// 1 MiB. The three run kinds alternate in one child process, so load on the machine hits each alike.
import http from 'node:http'
import { runChild } from '../child-process.ts'
import { MiB, makeText } from '../context-text.ts'
import { QUICK, report, summarize } from '../figures.ts'
import type { BenchServer } from '../model-server-process.ts'
import { benchRlm, js } from '../rlm-under-test.ts'
import { runTenIterations, TEN_ITERATIONS_MARKER, TEN_TURNS } from './ten-iterations.ts'

const ONE = 'BENCH-ONE-ITERATION'
const MANY = 'BENCH-MANY-ITERATIONS'
/** Iterations of the long run: the per-iteration cost is (long - one) / (LONG - 1). */
const LONG = 21

export interface RunOverheadReport {
  oneMs: number[]
  longMs: number[]
  tenMiBMs: number[]
  /** One bare chat-completion round trip to the same server (keep-alive), the server's share of an iteration. */
  serverMs: number
}

export const runOverheadScript = {
  latencyMs: 0,
  conversations: [
    { match: ONE, turns: [js("FINAL('one')")] },
    {
      match: MANY,
      turns: [...Array.from({ length: LONG - 1 }, (_, i) => js(`print(${i})`)), js("FINAL('many')")],
    },
    { match: TEN_ITERATIONS_MARKER, turns: TEN_TURNS },
  ],
}

/** Median of `n` sequential bare POSTs on one keep-alive socket. */
async function bareRoundTripMs(baseURL: string, n: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const url = new URL(`${baseURL}/chat/completions`)
  const body = JSON.stringify({ model: 'bench-sub', messages: [{ role: 'user', content: 'ping' }] })
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        url,
        { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume()
          res.on('end', resolve)
          res.on('error', reject)
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await one()
    times.push(performance.now() - t)
  }
  agent.destroy()
  return summarize(times).median
}

/** In the child process: one warm-up of each run kind, then `rounds` rounds of all three. */
export async function runOverhead(baseURL: string, rounds: number): Promise<RunOverheadReport> {
  const rlm = benchRlm(baseURL)
  const small = makeText(1024)
  const big = makeText(MiB)
  const one = async (): Promise<number> => {
    const t = performance.now()
    const r = await rlm.run({ query: `${ONE}: answer`, context: small })
    if (r.answer !== 'one') throw new Error(`1-iteration run answered ${r.status} ${r.answer}`)
    return performance.now() - t
  }
  const long = async (): Promise<number> => {
    const t = performance.now()
    const r = await rlm.run({ query: `${MANY}: answer`, context: small })
    if (r.answer !== 'many' || r.tree.iterations.length !== LONG)
      throw new Error(`${LONG}-iteration run answered ${r.status} ${r.answer}`)
    return performance.now() - t
  }
  const ten = async (): Promise<number> => {
    const t = performance.now()
    await runTenIterations(baseURL, big)
    return performance.now() - t
  }
  await one()
  await long()
  await ten()
  const report: RunOverheadReport = { oneMs: [], longMs: [], tenMiBMs: [], serverMs: 0 }
  for (let i = 0; i < rounds; i++) {
    report.oneMs.push(await one())
    report.longMs.push(await long())
    report.tenMiBMs.push(await ten())
  }
  report.serverMs = await bareRoundTripMs(baseURL, 50)
  return report
}

export async function scenarioRunOverhead(server: BenchServer): Promise<void> {
  await server.play(runOverheadScript)
  const { result } = await runChild<RunOverheadReport>('run-overhead', {
    baseURL: server.baseURL,
    rounds: QUICK ? 3 : 9,
  })
  const one = summarize(result.oneMs)
  const long = summarize(result.longMs)
  const perIteration = (long.median - one.median) / (LONG - 1) - result.serverMs
  report({
    name: `9. cost of one more iteration, 1 KiB context, warm ((${LONG}-iteration run - 1-iteration run) / ${LONG - 1} - the server's ${result.serverMs.toFixed(2)} ms)`,
    value: perIteration,
    unit: 'ms',
    ideal: 0.5,
  })
  report({ name: '9. fixed cost of a 1-iteration run(), warm', value: one, unit: 'ms', ideal: 20 })
  report({
    name: '9. 10 iterations over 1 MiB (a string), warm, fresh process',
    value: summarize(result.tenMiBMs),
    unit: 'ms',
    ideal: 30,
  })
}
