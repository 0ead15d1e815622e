// The ten root turns of scenarios 1 and 2: ordinary context work (describe, peek, search, chunk,
// lines, string code) with no sub-calls, ending in FINAL with the needle line, so the figure is
// the engine's own cost per iteration plus what the code does.
import { type Context, loadContext } from '@rlm/context'
import type { ContextInput } from '@rlm/engine'
import { bareNodeMs, runChild } from '../child-process.ts'
import { MiB, makeText, makeTextFile, NEEDLE } from '../context-text.ts'
import { report, sample, scale, summarize } from '../figures.ts'
import type { ModelScriptInput } from '../model-script.ts'
import type { BenchServer } from '../model-server-process.ts'
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
  loadMs: number
  runMs: number
  directMs: number
  baseline: MemorySnapshot
  peakRss: number
}

export const tenIterationsScript = (latencyMs = 0): ModelScriptInput => ({
  latencyMs,
  conversations: [{ match: TEN_ITERATIONS_MARKER, turns: TEN_TURNS }],
})

/**
 * The same context work called directly on a loaded Context, no engine, sandbox or model in
 * between: the floor under the ten turns (the ideal adds 0.5 ms of engine overhead per turn).
 */
export function directTenTurns(ctx: Context): number {
  const t = performance.now()
  ctx.describe()
  ctx.slice(0, 300)
  const hits = ctx.search('vault access code', { literal: true, limit: 5 })
  ctx.search('QX-4471', { literal: true, limit: 1 })
  ctx.chunk({ strategy: 'fixed', size: 100000 })
  ctx.lines(10, 12)
  const mid = Math.floor(ctx.length / 2)
  ctx.slice(mid, mid + 2000).split('\n')
  ctx.search('\\bzebra\\b', { ignoreCase: true, limit: 3 })
  const counts: Record<string, number> = {}
  for (const w of ctx.slice(0, 20000).split(/\s+/)) counts[w] = (counts[w] ?? 0) + 1
  const answer = ctx.lines(hits[0]?.line ?? 1).replace(/^\d+ /, '')
  if (answer.trim() !== NEEDLE) throw new Error(`direct turns found ${answer}`)
  return performance.now() - t
}

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
export async function scenarioOneMiB(server: BenchServer): Promise<void> {
  await server.play(tenIterationsScript(0))
  const text = makeText(MiB)
  const ctx = await loadContext({ text })
  const direct = await sample(async () => directTenTurns(ctx), { runs: 10 })
  const ideal = direct.median + 10 * ITERATION_TARGET_MS
  const warm = await sample(
    async () => {
      await runTenIterations(server.baseURL, text)
      return undefined
    },
    { runs: 10, warmup: 2 },
  )
  report({
    name: '1. 1 MiB x 10 iterations, warm (ideal: the same calls made directly + 0.5 ms/iteration)',
    value: warm,
    unit: 'ms',
    ideal,
  })
  report({
    name: '1. engine overhead per iteration, warm ((run - direct calls) / 10)',
    value: scale(warm, 1 / 10, -direct.median / 10),
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
    name: '1. 1 MiB x 10 iterations, cold: spawn to exit (ideal: bare node start + warm ideal)',
    value: cold,
    unit: 'ms',
    ideal: bare.median + ideal,
  })
}

/** Scenario 2: the same over 40 MiB (loaded from a file as the CLI does), in a child process for its peak RSS. */
export async function scenarioFortyMiB(server: BenchServer): Promise<void> {
  await server.play(tenIterationsScript(0))
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
  const direct = summarize(runs.map((r) => r.directMs)).median
  report({
    name: '2. 40 MiB: loadContext from the file',
    value: summarize(runs.map((r) => r.loadMs)),
    unit: 'ms',
  })
  report({
    name: '2. 40 MiB x 10 iterations (ideal: the same calls made directly + 0.5 ms/iteration)',
    value: time,
    unit: 'ms',
    ideal: direct + 10 * ITERATION_TARGET_MS,
  })
  const above = runs.map((r) => (r.peakRss - r.baseline.rss) / MiB)
  report({
    name: '2. 40 MiB: peak RSS above baseline (ideal: one copy of the context)',
    value: summarize(above),
    unit: 'MiB',
    ideal: bytes / MiB,
  })
}
