// `pnpm bench [--quick] [filters...]`: runs every package's benchmark one at a time (timings need a
// quiet machine), then the end-to-end suite, and writes all figures to bench/results/<date>.json.
// Each suite appends `{ name, value, unit, ideal, ratio, package, min?, max?, samples? }` lines to
// the JSONL file named by RLM_BENCH_JSON; `value` is the median when there were several samples.
// Filters keep the suites whose name contains one of them (`pnpm bench engine e2e`).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, totalmem } from 'node:os'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..', '..')
const args = process.argv.slice(2)
const quick = args.includes('--quick')
const only = args.filter((a) => !a.startsWith('--'))
const jsonl = join(root, 'bench', 'results', `.run-${process.pid}.jsonl`)
mkdirSync(join(root, 'bench', 'results'), { recursive: true })
rmSync(jsonl, { force: true })

const suites = []
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, group))) {
    const cwd = join(root, group, name, 'bench')
    if (existsSync(join(cwd, 'index.ts'))) suites.push({ name: `${group}/${name}`, cwd })
  }
}
const e2e = join(root, 'bench', 'e2e')
if (existsSync(join(e2e, 'index.ts'))) suites.push({ name: 'bench/e2e', cwd: e2e })

// A suite that hangs (e.g. a child process that never exits) is stopped and counted as failed.
const suiteTimeoutMs = Number(process.env.RLM_BENCH_SUITE_TIMEOUT_MS ?? 15 * 60_000)
const failed = []
const started = Date.now()
for (const suite of suites) {
  if (only.length && !only.some((o) => suite.name.includes(o))) continue
  console.error(`\n== ${suite.name}`)
  const r = spawnSync(process.execPath, ['--conditions=@rlm/source', '--expose-gc', 'index.ts'], {
    cwd: suite.cwd,
    stdio: 'inherit',
    env: { ...process.env, RLM_BENCH_JSON: jsonl, ...(quick && { RLM_BENCH_QUICK: '1' }) },
    timeout: suiteTimeoutMs,
    killSignal: 'SIGKILL',
  })
  if (r.error?.code === 'ETIMEDOUT') console.error(`${suite.name}: stopped after ${suiteTimeoutMs / 1000} s`)
  if (r.status !== 0) failed.push(suite.name)
}

const entries = existsSync(jsonl)
  ? readFileSync(jsonl, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  : []
rmSync(jsonl, { force: true })
const date = new Date().toISOString().slice(0, 10)
const out = join(root, 'bench', 'results', `${date}${quick ? '-quick' : ''}.json`)
const machine = {
  node: process.version,
  platform: process.platform,
  arch: process.arch,
  cpus: availableParallelism(),
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
}
const durationS = Math.round((Date.now() - started) / 1000)
writeFileSync(
  out,
  `${JSON.stringify({ date: new Date().toISOString(), quick, machine, durationS, entries }, null, 2)}\n`,
)

const fmt = (v) =>
  v === null || v === undefined
    ? ''
    : typeof v === 'number'
      ? String(Math.abs(v) >= 1000 ? Math.round(v) : Number(v.toPrecision(3)))
      : String(v)
const spread = (e) =>
  typeof e.min === 'number' && typeof e.max === 'number'
    ? `${fmt(e.min)}–${fmt(e.max)}${e.samples ? ` (n=${e.samples})` : ''}`
    : typeof e.rme === 'number'
      ? `±${fmt(e.rme)}%`
      : ''
const rows = entries.map((e) => [
  e.package ?? '',
  e.name,
  `${fmt(e.value)} ${e.unit ?? ''}`.trim(),
  spread(e),
  fmt(e.ideal),
  e.ratio == null ? '' : `${fmt(e.ratio)}x`,
])
const head = ['package', 'metric', 'figure (median)', 'spread (min–max)', 'ideal', 'ratio']
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ')
console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`)
for (const r of rows) console.log(line(r))
console.log(
  `\n${entries.length} figures in ${durationS} s on Node ${machine.node}, ${machine.cpus} vCPU (${machine.cpuModel}), ${machine.memoryGiB} GiB; written to ${out}`,
)
if (failed.length) {
  console.error(`benchmarks that failed: ${failed.join(', ')}`)
  process.exit(1)
}
