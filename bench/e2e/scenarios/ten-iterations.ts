// The ten root turns of scenarios 1 and 2: ordinary context work (describe, peek, search, chunk,
// lines, string code) with no sub-calls, ending in FINAL with the needle line, so the figure is
// the engine's own cost per iteration plus what the code does.
import type { ContextInput } from '@rlm/engine'
import { bareNodeMs, runChild } from '../child-process.ts'
import { MiB, makeText, makeTextFile, NEEDLE } from '../context-text.ts'
import { report, sample, scale, summarize } from '../figures.ts'
import type { ModelServer } from '../loopback-model-server.ts'
import type { ModelScriptInput } from '../model-script.ts'
import type { MemorySnapshot } from '../process-memory.ts'
import { benchRlm, js } from '../rlm-under-test.ts'

/** The engine-overhead target per iteration at zero model latency (issue 6). */
const ITERATION_TARGET_MS = 0.5

export const TEN_ITERATIONS_MARKER = 'BENCH-TEN-ITERATIONS'

export const TEN_TURNS = [
  'print(describe())',
  'print(context.slice(0, 300))',
  "const hits = search('vault access code', { literal: true, limit: 5 })\nprint(hits.length, hits[0] && hits[0].line)",
  "print(context.length, context.indexOf('QX-4471'))",
  "const parts = chunks({ strategy: 'fixed', size: 100000 })\nprint(parts.length, parts[0].end)",
  'print(lines(10, 12))',
  'const mid = Math.floor(context.length / 2)\nprint(context.slice(mid, mid + 2000).split("\\n").length)',
  "print(search('\\\\bzebra\\\\b', { ignoreCase: true, limit: 3 }).map((h) => h.snippet))",
  'const counts = {}\nfor (const w of context.slice(0, 20000).split(/\\s+/)) counts[w] = (counts[w] || 0) + 1\nprint(Object.keys(counts).length)',
  "FINAL(lines(hits[0].line, hits[0].line).replace(/^\\d+ /, '').trim())",
].map(js)

export interface TenIterationsReport {
  /** From process start (performance.timeOrigin) to the end of the run. */
  sinceStartMs: number
  runMs: number
  baseline: MemorySnapshot
  peakRss: number
}

export const tenIterationsScript = (latencyMs = 0): ModelScriptInput => ({
  latencyMs,
  conversations: [{ match: TEN_ITERATIONS_MARKER, turns: TEN_TURNS }],
})

/** One run of the ten turns; throws unless it ends with the needle after exactly ten iterations. */
export async function runTenIterations(baseURL: string, context: ContextInput): Promise<void> {
  const result = await benchRlm(baseURL).run({
    query: `${TEN_ITERATIONS_MARKER}: what is the vault access code?`,
    context,
  })
  const turns = result.tree.iterations.length
  if (result.status !== 'final' || result.answer !== NEEDLE || turns !== 10) {
    const failed = result.tree.iterations.flatMap((i) =>
      i.cells.filter((c) => !c.ok).map((c) => c.error?.message),
    )
    throw new Error(
      `ten-iterations run went wrong: status ${result.status}, ${turns} turns, answer ${JSON.stringify(result.answer.slice(0, 200))}; failed cells: ${failed.join(' | ')}`,
    )
  }
}

/** Scenario 1: ten iterations over 1 MiB at zero latency, warm in this process and cold in a new one. */
export async function scenarioOneMiB(server: ModelServer): Promise<void> {
  server.play(tenIterationsScript(0))
  const text = makeText(MiB)
  const warm = await sample(
    async () => {
      await runTenIterations(server.baseURL, text)
      return undefined
    },
    { runs: 10, warmup: 2 },
  )
  report({
    name: '1. 1 MiB x 10 iterations, warm (ideal: 0.5 ms engine overhead per iteration)',
    value: warm,
    unit: 'ms',
    ideal: 10 * ITERATION_TARGET_MS,
  })
  report({
    name: '1. per iteration, warm',
    value: scale(warm, 1 / 10),
    unit: 'ms',
    ideal: ITERATION_TARGET_MS,
  })

  const file = makeTextFile(MiB)
  const bare = await sample(() => bareNodeMs(), { runs: 5 })
  const cold = await sample(
    async () =>
      (await runChild<TenIterationsReport>('ten-iterations', { baseURL: server.baseURL, file })).wallMs,
    { runs: 5 },
  )
  report({
    name: '1. 1 MiB x 10 iterations, cold: spawn to exit (ideal: bare node start + warm run)',
    value: cold,
    unit: 'ms',
    ideal: bare.median + warm.median,
  })
}

/** Scenario 2: the same over 40 MiB (loaded from a file as the CLI does), in a child process for its peak RSS. */
export async function scenarioFortyMiB(server: ModelServer): Promise<void> {
  server.play(tenIterationsScript(0))
  const bytes = 40 * MiB
  const file = makeTextFile(bytes)
  const runs: TenIterationsReport[] = []
  const time = await sample(
    async () => {
      const { result } = await runChild<TenIterationsReport>('ten-iterations', {
        baseURL: server.baseURL,
        file,
        load: true,
        warmUp: true,
      })
      runs.push(result)
      return result.runMs
    },
    { runs: 3, warmup: 0 },
  )
  report({
    name: '2. 40 MiB x 10 iterations: load + run (ideal: 0.5 ms per iteration)',
    value: time,
    unit: 'ms',
    ideal: 10 * ITERATION_TARGET_MS,
  })
  const above = runs.map((r) => (r.peakRss - r.baseline.rss) / MiB)
  report({
    name: '2. 40 MiB: peak RSS above baseline (ideal: one copy of the context)',
    value: summarize(above),
    unit: 'MiB',
    ideal: bytes / MiB,
  })
}
