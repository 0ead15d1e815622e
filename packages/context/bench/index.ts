// @rlm/context benchmark: load+describe and peak RSS per size (child process each), exact token
// throughput, chunking and search over 40 MB vs V8's RegExp. RLM_BENCH_400=1 adds 400 MB.
import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { compilePattern } from '../src/compile-pattern.ts'
import { loadContext } from '../src/index.ts'
import { OffsetIndex } from '../src/offset-index.ts'
import { searchDocuments } from '../src/search.ts'
import { writeTextFile } from './generate-text.ts'

interface Figure {
  name: string
  value: number
  unit: string
  ideal: number | null
}
const figures: Figure[] = []
function report(name: string, value: number, unit: string, ideal: number | null = null): void {
  figures.push({ name, value, unit, ideal })
  const out = process.env.RLM_BENCH_JSON
  if (out) {
    const ratio = ideal ? value / ideal : null
    appendFileSync(out, `${JSON.stringify({ name, value, unit, ideal, ratio, package: '@rlm/context' })}\n`)
  }
}
function time<T>(f: () => T, runs = 3): { ms: number; result: T } {
  let best = Number.POSITIVE_INFINITY
  let result = f()
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    result = f()
    best = Math.min(best, performance.now() - t0)
  }
  return { ms: best, result }
}

const MB = 2 ** 20
const dir = mkdtempSync(path.join(tmpdir(), 'rlm-context-bench-'))
const here = path.dirname(fileURLToPath(import.meta.url))
try {
  const sizes = [1, 40, ...(process.env.RLM_BENCH_400 ? [400] : [])]
  for (const mb of sizes) {
    const file = path.join(dir, `ctx-${mb}.txt`)
    await writeTextFile(file, mb * MB)
    const out = execFileSync(
      process.execPath,
      ['--conditions=@rlm/source', '--expose-gc', path.join(here, 'load-child.ts'), file],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    )
    const r = JSON.parse(out) as { ms: number; ratio: number; searchMs: number }
    report(`load+describe ${mb} MB`, r.ms, 'ms')
    report(`peak RSS above baseline / text bytes, ${mb} MB`, r.ratio, 'x', 1)
    if (mb === 400) report('literal search 400 MB', r.searchMs, 'ms')
    rmSync(file)
  }

  const file40 = path.join(dir, 'ctx-40.txt')
  await writeTextFile(file40, 40 * MB)
  const ctx = await loadContext({ path: file40 })
  const whole = ctx.text

  const lit = time(() => ctx.search('timeout value=9999', { literal: true, limit: 1e9 }).length)
  const litIdeal = time(() => {
    let c = 0
    for (
      let p = whole.indexOf('timeout value=9999');
      p !== -1;
      p = whole.indexOf('timeout value=9999', p + 1)
    )
      c++
    return c
  })
  report('literal search 40 MB', lit.ms, 'ms', litIdeal.ms)
  const litCi = time(
    () => ctx.search('TIMEOUT VALUE=9999', { literal: true, ignoreCase: true, limit: 1e9 }).length,
  )
  report(
    'literal ignoreCase search 40 MB',
    litCi.ms,
    'ms',
    time(() => [...whole.matchAll(/TIMEOUT VALUE=9999/gi)].length).ms,
  )
  for (const [name, re, ignoreCase] of [
    ['regex id=\\d+5 error (5.7k hits)', 'id=\\d+5 error', false],
    ['regex [a-z]+_id=\\d (no hit, literal on 27% of lines)', '[a-z]+_id=\\d', false],
    ['regex M\\S+chen (Unicode class, 1 in 28 lines)', 'M\\S+chen', false],
    ['regex Record 9999\\d\\b (rare, literal prefix)', 'Record 9999\\d\\b', false],
    ['regex record 9999\\d ignoreCase', 'record 9999\\d', true],
    ['regex \\d{3}-\\d{4} (no hit, no useful literal)', '\\d{3}-\\d{4}', false],
  ] as const) {
    const ours = time(() => ctx.search(re, { limit: 1e9, ignoreCase }).length, 2)
    const v8 = time(() => [...whole.matchAll(new RegExp(re, ignoreCase ? 'gmui' : 'gmu'))].length, 2)
    if (ours.result !== v8.result)
      console.error(`hit count differs for ${re}: ${ours.result} vs V8 ${v8.result}`)
    report(`search 40 MB ${name}`, ours.ms, 'ms', v8.ms)
  }
  // execRegExp: JavaScript semantics (captures, named groups, lastIndex rules) vs V8's matchAll.
  for (const [name, source, flags] of [
    ['id=(\\d+)5 error, 1 capture (5.7k hits)', 'id=(\\d+)5 error', 'g'],
    ['(?<word>[a-z]+)_id=(?<n>\\d), named groups (no hit)', '(?<word>[a-z]+)_id=(?<n>\\d)', 'g'],
    ['M(\\S+)chen, Unicode class', 'M(\\S+)chen', 'gu'],
    ['^Record (\\d+)$ multiline (rare)', '^Record (\\d+)$', 'gm'],
  ] as const) {
    const ours = time(() => ctx.execRegExp({ source, flags }, { maxMatches: 1e9 }).length, 2)
    const v8 = time(() => [...whole.matchAll(new RegExp(source, flags))].length, 2)
    if (ours.result !== v8.result)
      console.error(`match count differs for ${source}: ${ours.result} vs V8 ${v8.result}`)
    report(`execRegExp 40 MB ${name}`, ours.ms, 'ms', v8.ms)
  }
  // The same no-literal search kept on one thread (what it cost before the two-thread split).
  const docs = ctx.documents.map((d) => ({ name: d.name, byteStart: d.byteStart, byteEnd: d.byteEnd }))
  const index = new OffsetIndex(ctx.bytes())
  const noLit = compilePattern('\\d{3}-\\d{4}', {})
  const oneThread = time(
    () =>
      searchDocuments(
        index,
        docs,
        noLit,
        { limit: 1e9, from: 0, maxResultChars: Number.POSITIVE_INFINITY },
        { parallelMinBytes: Infinity },
      ).length,
    2,
  )
  report('search 40 MB regex \\d{3}-\\d{4}, one thread', oneThread.ms, 'ms')
  const redos = await loadContext({ text: `${'a'.repeat(100_000)}!` })
  report('search (a+)+$ on 100k chars (ReDoS)', time(() => redos.search('(a+)+$').length).ms, 'ms')

  for (const [strategy, size] of [
    ['fixed', 100_000],
    ['lines', 1000],
    ['paragraph', 100_000],
  ] as const) {
    const r = time(() => ctx.chunk({ strategy, size, overlap: Math.floor(size / 10) }).length, 1)
    report(`chunk 40 MB ${strategy} (${r.result} chunks)`, r.ms, 'ms')
  }
  const t4 = ctx.chunk({ strategy: 'fixed', size: 4 * MB })[0] as { start: number; end: number }
  const small = await loadContext({ text: ctx.slice(t4.start, t4.end) })
  const tok = time(() => small.chunk({ strategy: 'tokens', size: 10_000, overlap: 500 }).length, 1)
  report('chunk 4 MB tokens (10k-token windows)', tok.ms, 'ms')

  const e0 = performance.now()
  const estimate = ctx.estimateTokens()
  report('estimateTokens 40 MB', performance.now() - e0, 'ms')
  let t0 = performance.now()
  const one = await (await loadContext({ text: ctx.slice(0, 8 * MB) })).countTokens({ workers: 1 })
  report('exact tokens, 1 thread', (8 * MB) / MB / ((performance.now() - t0) / 1000), 'MB/s')
  t0 = performance.now()
  const exact = await ctx.countTokens()
  report('exact tokens 40 MB, all cores', 40 / ((performance.now() - t0) / 1000), 'MB/s')
  report('estimate error vs exact (40 MB)', (Math.abs(estimate - exact) / exact) * 100, '%')
  void one
} finally {
  rmSync(dir, { recursive: true, force: true })
}

console.log('| benchmark | value | V8/ideal |')
console.log('| --- | ---: | ---: |')
for (const f of figures) {
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(2))
  console.log(
    `| ${f.name} | ${fmt(f.value)} ${f.unit} | ${f.ideal === null ? '' : `${fmt(f.ideal)} ${f.unit}`} |`,
  )
}
