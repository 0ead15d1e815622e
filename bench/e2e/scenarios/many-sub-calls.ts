// Scenario 7: 10,000 sub-calls in one run at concurrency 64, in a child process so its host
// memory before and after (settled by GC) and its peak are the run's own.
import { runChild } from '../child-process.ts'
import { MiB, makeText } from '../context-text.ts'
import { QUICK, report } from '../figures.ts'
import type { BenchServer } from '../model-server-process.ts'
import { type MemorySnapshot, peakRss, settledMemory } from '../process-memory.ts'
import { benchRlm, js } from '../rlm-under-test.ts'

const MARKER = 'BENCH-MANY-SUB-CALLS'
const LATENCY_MS = 100
const CONCURRENCY = 64

export interface ManySubCallsReport {
  runMs: number
  before: MemorySnapshot
  after: MemorySnapshot
  peakRss: number
}

const turn = (count: number): string =>
  js(`const prompts = Array.from({ length: ${count} }, (_, i) => 'Classify item ' + i + ': ' + context.slice((i * 64) % 60000, (i * 64) % 60000 + 64))
const answers = await llm_query_batched(prompts)
const ok = answers.filter((a) => !is_error(a) && a.startsWith('digest ')).length
FINAL(ok + ' of ' + answers.length)`)

/** In the child: a small warm-up run, then the big one between two settled memory readings. */
export async function runManySubCalls(
  baseURL: string,
  count: number,
  concurrency: number,
): Promise<ManySubCallsReport> {
  const rlm = benchRlm(baseURL, { concurrency })
  const text = makeText(64 * 1024)
  await rlm.run({ query: `${MARKER} warm-up`, context: 'warm-up' })
  const before = settledMemory()
  const start = performance.now()
  const r = await rlm.run({ query: `${MARKER}: classify every item`, context: text })
  const runMs = performance.now() - start
  if (r.answer !== `${count} of ${count}`) throw new Error(`${count} sub-calls answered ${r.answer}`)
  const peak = peakRss()
  const after = settledMemory()
  return { runMs, before, after, peakRss: peak }
}

export async function scenarioManySubCalls(server: BenchServer): Promise<void> {
  const count = QUICK ? 1000 : 10_000
  // The warm-up run answers from the same script: its FINAL line reports how many it made.
  await server.play({
    latencyMs: 0,
    subLatencyMs: LATENCY_MS,
    conversations: [
      { match: `${MARKER} warm-up`, turns: [turn(16)] },
      { match: MARKER, turns: [turn(count)] },
    ],
  })
  const { result } = await runChild<ManySubCallsReport>('many-sub-calls', {
    baseURL: server.baseURL,
    count,
    concurrency: CONCURRENCY,
  })
  const { peakInFlight } = await server.stats()
  report({
    name: `7. ${count.toLocaleString('en-US')} sub-calls at ${LATENCY_MS} ms, concurrency ${CONCURRENCY}`,
    value: result.runMs,
    unit: 'ms',
    ideal: Math.ceil(count / CONCURRENCY) * LATENCY_MS,
    note: `peak ${peakInFlight} in flight`,
  })
  report({
    name: '7. heap used after the run minus before (settled; ideal 0)',
    value: (result.after.heapUsed - result.before.heapUsed) / MiB,
    unit: 'MiB',
  })
  report({ name: '7. RSS before the run', value: result.before.rss / MiB, unit: 'MiB' })
  report({ name: '7. RSS after the run (settled)', value: result.after.rss / MiB, unit: 'MiB' })
  report({ name: '7. peak RSS during the run', value: result.peakRss / MiB, unit: 'MiB' })
}
