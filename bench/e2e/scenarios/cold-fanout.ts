// Scenario 12: the first run in a fresh process is one llm_query_batched of 100 sub-calls at
// 200 ms, concurrency 100 (cold: modules, sandbox and sockets all start inside the run).
// Scenario 13: 200 concurrent generate calls at 200 ms through createOpenAICompatible, warm,
// beside the same burst with a bare http.request client (the floor), alternated in one process.
import { runChild } from '../child-process.ts'
import { makeText } from '../context-text.ts'
import { QUICK, report, summarize } from '../figures.ts'
import { bareHttpBurst, providerBurst } from '../http-floor.ts'
import type { BenchServer } from '../model-server-process.ts'
import { benchRlm, js } from '../rlm-under-test.ts'

const CALLS = 100
const BURST = 200
const LATENCY_MS = 200
const MARKER = 'BENCH-COLD-FANOUT'

export interface ColdFanoutReport {
  runMs: number
  batchMs: number
  /** ms from run() to each event type's first occurrence (debugging aid). */
  marks?: Record<string, number>
}

export const coldFanoutScript = {
  latencyMs: 0,
  subLatencyMs: LATENCY_MS,
  conversations: [
    {
      match: MARKER,
      turns: [
        js(`const prompts = Array.from({ length: ${CALLS} }, (_, i) => 'Summarize part ' + i + ':\\n' + context.slice(i * 500, (i + 1) * 500))
const answers = await llm_query_batched(prompts)
FINAL(answers.filter((a) => !is_error(a) && a.startsWith('digest ')).length + ' of ' + answers.length)`),
      ],
    },
  ],
}

/** In the child process: the process's first run, timed from run() to its result. */
export async function runColdFanout(baseURL: string): Promise<ColdFanoutReport> {
  let first = Number.POSITIVE_INFINITY
  let last = 0
  const marks: Record<string, number> = {}
  let t = 0
  const rlm = benchRlm(baseURL, {
    concurrency: CALLS,
    onEvent: (e) => {
      marks[e.type] ??= Math.round(performance.now() - t)
      if (e.type === 'subcall_start') first = Math.min(first, performance.now())
      else if (e.type === 'subcall_end') last = performance.now()
    },
  })
  const text = makeText(64 * 1024)
  t = performance.now()
  const r = await rlm.run({ query: `${MARKER}: summarize every part`, context: text })
  const runMs = performance.now() - t
  if (r.answer !== `${CALLS} of ${CALLS}`) throw new Error(`cold fan-out answered ${r.status} ${r.answer}`)
  return { runMs, batchMs: last - first, marks }
}

export interface GenerateBurstReport {
  bareMs: number[]
  providerMs: number[]
}

/** In the child process: one warm-up burst of each, then `rounds` alternating bursts. */
export async function runGenerateBurst(baseURL: string, rounds: number): Promise<GenerateBurstReport> {
  const text = makeText(64 * 1024)
  const prompt = (i: number): string => `Summarize part ${i}:\n${text.slice(i * 300, (i + 1) * 300)}`
  const bare = bareHttpBurst(baseURL, BURST, prompt)
  const provider = providerBurst(baseURL, BURST, prompt)
  const timed = async (burst: () => Promise<void>): Promise<number> => {
    const t = performance.now()
    await burst()
    return performance.now() - t
  }
  await timed(bare)
  await timed(provider)
  const out: GenerateBurstReport = { bareMs: [], providerMs: [] }
  for (let i = 0; i < rounds; i++) {
    out.bareMs.push(await timed(bare))
    out.providerMs.push(await timed(provider))
  }
  return out
}

export async function scenarioColdFanout(server: BenchServer): Promise<void> {
  await server.play(coldFanoutScript)
  const runs: ColdFanoutReport[] = []
  for (let i = 0; i < (QUICK ? 2 : 5); i++)
    runs.push((await runChild<ColdFanoutReport>('cold-fanout', { baseURL: server.baseURL })).result)
  report({
    name: `12. ${CALLS} x ${LATENCY_MS} ms llm_query_batched, concurrency ${CALLS}, first run in a fresh process (target 1.3x)`,
    value: summarize(runs.map((r) => r.runMs)),
    unit: 'ms',
    ideal: LATENCY_MS,
  })
  report({
    name: '12. the batch alone (first sub-call start to last end), cold',
    value: summarize(runs.map((r) => r.batchMs)),
    unit: 'ms',
    ideal: LATENCY_MS,
  })
}

export async function scenarioGenerateBurst(server: BenchServer): Promise<void> {
  await server.play({ latencyMs: 0, subLatencyMs: LATENCY_MS, conversations: [] })
  const { result } = await runChild<GenerateBurstReport>('generate-burst', {
    baseURL: server.baseURL,
    rounds: QUICK ? 3 : 9,
  })
  const bare = summarize(result.bareMs)
  report({
    name: `13. ${BURST} concurrent calls at ${LATENCY_MS} ms: bare http.request keep-alive (the floor)`,
    value: bare,
    unit: 'ms',
    ideal: LATENCY_MS,
  })
  report({
    name: `13. the same through createOpenAICompatible generate, warm (ideal: the floor; target 1.15x)`,
    value: summarize(result.providerMs),
    unit: 'ms',
    ideal: bare.median,
  })
}
