// Scenarios 3 and 4: 100 sub-calls at 200 ms latency in one root turn, written as one
// llm_query_batched and as a loop of llm_query under Promise.all. Root turns have no latency,
// so the ideal is the sub-calls alone: ceil(100 / concurrency) x 200 ms. Beside each run: the
// batch's own span (first sub-call start to last end), and, once, the same burst with a bare
// http.request client and through @rlm/providers alone, so the run's fixed cost and the HTTP
// floor are not read as the fan-out's.
import { makeText } from '../context-text.ts'
import { report, sample, summarize } from '../figures.ts'
import { bareHttpBurst, providerBurst } from '../http-floor.ts'
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
  let first = Number.POSITIVE_INFINITY
  let last = 0
  const rlm = benchRlm(server.baseURL, {
    concurrency,
    onEvent: (e) => {
      if (e.type === 'subcall_start') first = Math.min(first, performance.now())
      else if (e.type === 'subcall_end') last = performance.now()
    },
  })
  let peak = 0
  const spans: number[] = []
  const time = await sample(
    async () => {
      await server.resetStats()
      first = Number.POSITIVE_INFINITY
      const start = performance.now()
      const r = await rlm.run({ query: `${marker}: summarize every part`, context: text })
      const runMs = performance.now() - start
      if (r.answer !== `${CALLS} of ${CALLS}`) throw new Error(`fan-out (${style}) answered ${r.answer}`)
      const stats = await server.stats()
      if (stats.subRequests !== CALLS) throw new Error(`fan-out sent ${stats.subRequests} sub-calls`)
      peak = Math.max(peak, stats.peakInFlight)
      spans.push(last - first)
      return runMs
    },
    { runs: 5 },
  )
  const n = style === 'batched' ? 3 : 4
  const ideal = Math.ceil(CALLS / concurrency) * LATENCY_MS
  report({
    name: `${n}. ${CALLS} sub-calls (${style}) at ${LATENCY_MS} ms, concurrency ${concurrency}`,
    value: time,
    unit: 'ms',
    ideal,
    note: `peak ${peak} requests in flight at the server`,
  })
  // tinybench's warm-up run also lands in `spans`; drop it.
  report({
    name: `${n}. the batch alone (first sub-call start to last end), concurrency ${concurrency}`,
    value: summarize(spans.slice(-time.samples)),
    unit: 'ms',
    ideal,
  })
  if (peak > concurrency) throw new Error(`concurrency ${concurrency} exceeded: ${peak} requests in flight`)
}

/** The same 100 calls at concurrency 100 with no engine: a bare http.request client, then the provider. */
async function httpFloor(server: BenchServer, text: string): Promise<void> {
  await server.play({ latencyMs: 0, subLatencyMs: LATENCY_MS, conversations: [] })
  const prompt = (i: number): string => `Summarize part ${i}:\n${text.slice(i * 500, (i + 1) * 500)}`
  const bursts = {
    'bare http.request, no SDK (floor)': bareHttpBurst(server.baseURL, CALLS, prompt),
    '@rlm/providers generate, no engine': providerBurst(server.baseURL, CALLS, prompt),
  }
  for (const [label, burst] of Object.entries(bursts)) {
    const time = await sample(
      async () => {
        await burst()
        return undefined
      },
      { runs: 7 },
    )
    report({
      name: `3. ${CALLS} calls at ${LATENCY_MS} ms: ${label}`,
      value: time,
      unit: 'ms',
      ideal: LATENCY_MS,
    })
  }
}

export async function scenarioBatched(server: BenchServer): Promise<void> {
  const text = makeText(64 * 1024)
  await fanOut(server, 'batched', 16, text)
  await fanOut(server, 'batched', 100, text)
  await httpFloor(server, text)
}

export async function scenarioPromiseAll(server: BenchServer): Promise<void> {
  const text = makeText(64 * 1024)
  await fanOut(server, 'Promise.all', 16, text)
  await fanOut(server, 'Promise.all', 100, text)
}
