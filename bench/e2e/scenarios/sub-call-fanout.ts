// Scenarios 3 and 4: 100 sub-calls at 200 ms latency in one root turn, written as one
// llm_query_batched and as a loop of llm_query under Promise.all. Root turns have no latency,
// so the ideal is the sub-calls alone: ceil(100 / concurrency) x 200 ms.
import { makeText } from '../context-text.ts'
import { report, sample } from '../figures.ts'
import type { BenchServer } from '../model-server-process.ts'
import { benchRlm, js } from '../rlm-under-test.ts'

const CALLS = 100
const LATENCY_MS = 200

const PROMPTS = `const prompts = Array.from({ length: ${CALLS} }, (_, i) => 'Summarize part ' + i + ':\\n' + context.slice(i * 500, (i + 1) * 500))`
const FINISH =
  "const ok = answers.filter((a) => !is_error(a) && a.startsWith('digest '))\nFINAL(ok.length + ' of ' + answers.length)"

const STYLES = {
  batched: {
    marker: 'BENCH-FANOUT-BATCHED',
    code: `${PROMPTS}\nconst answers = await llm_query_batched(prompts)\n${FINISH}`,
  },
  'Promise.all': {
    marker: 'BENCH-FANOUT-PROMISE-ALL',
    code: `${PROMPTS}\nconst answers = await Promise.all(prompts.map((p) => llm_query(p)))\n${FINISH}`,
  },
} as const

async function fanOut(
  server: BenchServer,
  style: keyof typeof STYLES,
  concurrency: number,
  text: string,
): Promise<void> {
  const { marker, code } = STYLES[style]
  await server.play({
    latencyMs: 0,
    subLatencyMs: LATENCY_MS,
    conversations: [{ match: marker, turns: [js(code)] }],
  })
  const rlm = benchRlm(server.baseURL, { concurrency })
  let peak = 0
  const time = await sample(
    async () => {
      await server.resetStats()
      const start = performance.now()
      const r = await rlm.run({ query: `${marker}: summarize every part`, context: text })
      const runMs = performance.now() - start
      if (r.answer !== `${CALLS} of ${CALLS}`) throw new Error(`fan-out (${style}) answered ${r.answer}`)
      const stats = await server.stats()
      if (stats.subRequests !== CALLS) throw new Error(`fan-out sent ${stats.subRequests} sub-calls`)
      peak = Math.max(peak, stats.peakInFlight)
      return runMs
    },
    { runs: 5 },
  )
  const n = style === 'batched' ? 3 : 4
  report({
    name: `${n}. ${CALLS} sub-calls (${style}) at ${LATENCY_MS} ms, concurrency ${concurrency}`,
    value: time,
    unit: 'ms',
    ideal: Math.ceil(CALLS / concurrency) * LATENCY_MS,
    note: `peak ${peak} requests in flight at the server`,
  })
  if (peak > concurrency) throw new Error(`concurrency ${concurrency} exceeded: ${peak} requests in flight`)
}

export async function scenarioBatched(server: BenchServer): Promise<void> {
  const text = makeText(64 * 1024)
  await fanOut(server, 'batched', 16, text)
  await fanOut(server, 'batched', 100, text)
}

export async function scenarioPromiseAll(server: BenchServer): Promise<void> {
  const text = makeText(64 * 1024)
  await fanOut(server, 'Promise.all', 16, text)
  await fanOut(server, 'Promise.all', 100, text)
}
