// @rlm/evals benchmark: task generation throughput per suite, and the offline mechanics check
// end to end (generation excluded) at a large size, with the process's peak RSS.
// Run: node --conditions=@rlm/source bench/index.ts   (RLM_EVAL_BENCH_SIZE=100m for 100M tokens)
import { appendFileSync } from 'node:fs'
import { Bench } from 'tinybench'
import { formatSize, generateTask, runEval, SUITE_NAMES } from '../src/index.ts'
import { parseSize } from '../src/size.ts'

interface Figure {
  name: string
  value: number
  unit: string
  ideal: number | null
}
const figures: Figure[] = []
const record = (name: string, value: number, unit: string, ideal: number | null = null): void => {
  figures.push({ name, value, unit, ideal })
}

const GEN_SIZE = 10_000_000
const bench = new Bench({ iterations: 5, time: 0, warmupIterations: 1 })
for (const suite of SUITE_NAMES) {
  bench.add(`generate ${suite} @ ${formatSize(GEN_SIZE)} tokens`, () => {
    generateTask(suite, { size: GEN_SIZE, seed: 1, index: 0 })
  })
}
await bench.run()
for (const task of bench.tasks) {
  const median = (task.result as { latency?: { p50?: number } } | undefined)?.latency?.p50 ?? Number.NaN
  // 4 characters per token: MB of text per second.
  record(task.name, (GEN_SIZE * 4) / 1e6 / (median / 1000), 'MB/s')
}

const size = parseSize(process.env.RLM_EVAL_BENCH_SIZE ?? '10m')
let peak = process.memoryUsage().rss
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss)
}, 100)
for (const suite of SUITE_NAMES) {
  const report = await runEval({
    offline: true,
    suites: [suite],
    sizes: [size],
    tasks: 1,
    engine: { logLevel: 'silent' },
  })
  const result = report.results[0]
  if (!result) throw new Error(`no result for ${suite}`)
  record(
    `offline rlm ${suite} @ ${formatSize(size)} tokens (run, generation excluded)`,
    result.durationMs,
    'ms',
  )
  record(`offline rlm ${suite} @ ${formatSize(size)}: sub-calls`, result.subCalls, 'calls')
  record(`offline rlm ${suite} @ ${formatSize(size)}: correct`, result.score, 'score', 1)
}
clearInterval(sampler)
record(`offline suites @ ${formatSize(size)}: peak RSS`, peak / 2 ** 20, 'MiB')

const rows = figures.map((f) => [
  f.name,
  f.value >= 100 ? f.value.toFixed(0) : f.value.toFixed(2),
  f.unit,
  f.ideal === null ? '-' : String(f.ideal),
  f.ideal === null ? '-' : (f.value / f.ideal).toFixed(2),
])
const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length), 6))
console.log(['metric', 'value', 'unit', 'ideal', 'ratio'].map((h, i) => h.padEnd(widths[i] ?? 0)).join('  '))
for (const row of rows)
  console.log(
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '),
  )

const out = process.env.RLM_BENCH_JSON
if (out) {
  for (const f of figures) {
    const line = { ...f, ratio: f.ideal === null ? null : f.value / f.ideal, package: '@rlm/evals' }
    appendFileSync(out, `${JSON.stringify(line)}\n`)
  }
}
