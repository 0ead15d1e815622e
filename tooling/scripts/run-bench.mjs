// `pnpm bench`: runs every package's benchmark one at a time (timings need a quiet machine),
// then the end-to-end suite, and writes all figures to bench/results/<date>.json.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..', '..')
const only = process.argv.slice(2)
const jsonl = join(root, 'bench', 'results', `.run-${process.pid}.jsonl`)
mkdirSync(join(root, 'bench', 'results'), { recursive: true })
rmSync(jsonl, { force: true })

const suites = []
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, group))) {
    const dir = join(root, group, name)
    if (existsSync(join(dir, 'bench', 'index.ts'))) suites.push({ name: `${group}/${name}`, dir })
  }
}
if (existsSync(join(root, 'bench', 'e2e', 'index.ts'))) suites.push({ name: 'bench/e2e', dir: join(root, 'bench', 'e2e') })

const failed = []
for (const suite of suites) {
  if (only.length && !only.some((o) => suite.name.includes(o))) continue
  console.error(`\n== ${suite.name}`)
  const r = spawnSync(process.execPath, ['--conditions=@rlm/source', '--expose-gc', 'index.ts'], {
    cwd: join(suite.dir, 'bench'),
    stdio: 'inherit',
    env: { ...process.env, RLM_BENCH_JSON: jsonl },
  })
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
const out = join(root, 'bench', 'results', `${date}.json`)
const machine = { node: process.version, platform: process.platform, arch: process.arch, cpus: (await import('node:os')).cpus().length }
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), machine, entries }, null, 2) + '\n')

const fmt = (v) => (v === null || v === undefined ? '' : typeof v === 'number' ? String(Number(v.toPrecision(4))) : String(v))
const rows = entries.map((e) => [e.package ?? '', e.name, `${fmt(e.value)} ${e.unit ?? ''}`.trim(), fmt(e.ideal), e.ratio == null ? '' : `${fmt(e.ratio)}x`])
const head = ['package', 'metric', 'figure', 'ideal', 'ratio']
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ')
console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`)
for (const r of rows) console.log(line(r))
console.log(`\n${entries.length} figures written to ${out}`)
if (failed.length) {
  console.error(`benchmarks that failed: ${failed.join(', ')}`)
  process.exit(1)
}
