// Scenario 11: a 40 MiB context passed as a string to run() in a fresh process: the peak RSS of
// the first (cold) run of the ten turns above the RSS before it, then five more runs in the same
// process and the settled RSS (after gc()) after each, so a run that keeps memory shows as growth.
import { readFileSync } from 'node:fs'
import { runChild } from '../child-process.ts'
import { MiB, makeTextFile } from '../context-text.ts'
import { QUICK, report } from '../figures.ts'
import type { BenchServer } from '../model-server-process.ts'
import { peakRss, settledMemory } from '../process-memory.ts'
import { runTenIterations, tenIterationsScript } from './ten-iterations.ts'

const BYTES = 40 * MiB
const MORE_RUNS = 5

export interface StringMemoryReport {
  bytes: number
  before: number
  peak: number
  /** Settled RSS after the first run and after each further run. */
  settled: number[]
  firstRunMs: number
}

/** In the child process: the string is read first, as a caller would hold it, then the runs. */
export async function runStringMemory(
  baseURL: string,
  file: string,
  more: number,
): Promise<StringMemoryReport> {
  const context = readFileSync(file, 'utf8')
  const before = settledMemory().rss
  const t = performance.now()
  await runTenIterations(baseURL, context)
  const firstRunMs = performance.now() - t
  const peak = peakRss()
  const settled = [settledMemory().rss]
  for (let i = 0; i < more; i++) {
    await runTenIterations(baseURL, context)
    settled.push(settledMemory().rss)
  }
  return { bytes: context.length, before, peak, settled, firstRunMs }
}

export async function scenarioStringMemory(server: BenchServer): Promise<void> {
  await server.play(tenIterationsScript(0))
  const file = makeTextFile(BYTES)
  const more = QUICK ? 3 : MORE_RUNS
  const { result } = await runChild<StringMemoryReport>('string-memory', {
    baseURL: server.baseURL,
    file,
    more,
  })
  report({
    name: '11. 40 MiB string, 10 iterations, cold: peak RSS above RSS before the run (ideal: 1.5x the context)',
    value: (result.peak - result.before) / MiB,
    unit: 'MiB',
    ideal: (1.5 * result.bytes) / MiB,
  })
  report({ name: '11. that first run', value: result.firstRunMs, unit: 'ms' })
  const growth = ((result.settled.at(-1) as number) - (result.settled[0] as number)) / more / MiB
  report({
    name: `11. settled RSS growth per run over ${more} more runs (after gc(); target <= 5 MiB)`,
    value: growth,
    unit: 'MiB',
    ideal: 5,
  })
}
