// Sandbox benchmarks: prints a table; with RLM_BENCH_JSON set, appends one JSON line per figure.
import { appendFileSync } from 'node:fs'
import { Bench } from 'tinybench'
import { createSandbox, prewarmSandbox, type Sandbox } from '../src/index.ts'

interface Figure {
  name: string
  value: number
  unit: string
  ideal: number | null
}

const figures: Figure[] = []
function record(name: string, value: number, unit: string, ideal: number | null): void {
  figures.push({ name, value: Number(value.toFixed(4)), unit, ideal })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now()
  const value = await fn()
  return [performance.now() - started, value]
}

function must(sb: Sandbox, code: string): Promise<unknown> {
  return sb.run(code).then((r) => {
    if (!r.ok) throw new Error(`${code}: ${r.error.code} ${r.error.message}`)
    return r.value
  })
}

// First ever create in this process: compiles QuickJS and boots a worker.
const [firstCreate, first] = await timed(() => createSandbox())
record('create sandbox (first in process)', firstCreate, 'ms', 60)
await first.dispose()

// Warm create: a spare worker is ready (the state of a long-running engine).
const creates: number[] = []
for (let i = 0; i < 15; i++) {
  await sleep(250)
  const [ms, sb] = await timed(() => createSandbox())
  creates.push(ms)
  await sb.dispose()
}
record('create sandbox (warm, median)', median(creates), 'ms', 5)

// Eight sandboxes at once (an engine starting child RLMs): cold, then from eight warm spares.
async function eightAtOnce(): Promise<number> {
  const [ms, boxes] = await timed(() => Promise.all([...Array(8)].map(() => createSandbox())))
  await Promise.all(boxes.map((b) => b.dispose()))
  return ms
}
const cold8: number[] = []
const warm8: number[] = []
for (let i = 0; i < 3; i++) {
  await prewarmSandbox({ count: 0 })
  await sleep(300)
  cold8.push(await eightAtOnce())
  await prewarmSandbox({ count: 8 })
  await sleep(300)
  warm8.push(await eightAtOnce())
}
record('8 parallel creates, no spare (median)', median(cold8), 'ms', null)
record('8 parallel creates, 8 warm spares (median)', median(warm8), 'ms', 40)

// What a spare costs: RSS with 8 spares minus RSS with none, per spare.
await prewarmSandbox({ count: 0 })
await sleep(500)
const rssNone = process.memoryUsage().rss
await prewarmSandbox({ count: 8 })
await sleep(500)
const rssEight = process.memoryUsage().rss
record('RSS per warm spare', (rssEight - rssNone) / 8 / 2 ** 20, 'MiB', null)
await prewarmSandbox({ count: 1 })

await sleep(250)
// A big host result (think search hits): 100,000 small objects from one sync call.
const hits = Array.from({ length: 100_000 }, (_, i) => ({ index: i, end: i + 5, text: 'hello', line: i + 1 }))
const functions = {
  hits: { sync: true as const, fn: () => hits },
  noop: async () => 1,
  noopSync: { sync: true as const, fn: () => 1 },
  slow: async (i: unknown) => {
    await sleep(50)
    return i
  },
}
const sb = await createSandbox({ timeoutMs: 30_000, functions })

const bench = new Bench({ time: 1000, warmupTime: 200 })
bench.add('trivial run', async () => {
  await sb.run('1')
})
await bench.run()
const result = bench.tasks[0]?.result
const trivial = result && 'latency' in result ? result.latency.mean : Number.NaN
record('trivial run round trip (mean)', trivial, 'ms', 0.3)

const CALLS = 2000
const [asyncMs] = await timed(() => must(sb, `for (let i = 0; i < ${CALLS}; i++) await noop()`))
record('async host call round trip (sequential)', (asyncMs * 1000) / CALLS, 'us', 150)
const [syncMs] = await timed(() => must(sb, `for (let i = 0; i < ${CALLS}; i++) noopSync()`))
record('sync host call round trip (sequential)', (syncMs * 1000) / CALLS, 'us', 150)

for (const [n, ideal] of [
  [100, 60],
  [1000, 150],
] as const) {
  const samples: number[] = []
  for (let i = 0; i < 5; i++) {
    const [ms] = await timed(() =>
      must(sb, `(await Promise.all([...Array(${n}).keys()].map((i) => slow(i)))).length`),
    )
    samples.push(ms)
  }
  record(`${n} parallel 50 ms host calls (median)`, median(samples), 'ms', ideal)
}
const hitSamples: number[] = []
for (let i = 0; i < 5; i++) hitSamples.push((await timed(() => must(sb, 'hits().length')))[0])
record('host result of 100,000 objects into the guest (median)', median(hitSamples), 'ms', null)
await sb.dispose()

// 40 MB string global: createSandbox until the guest has read it.
const big = 'The quick brown fox jumps over the lazy dog. '
  .repeat(Math.ceil((40 * 2 ** 20) / 45))
  .slice(0, 40 * 2 ** 20)
big.charCodeAt(0) // flatten outside the timing
const bigSamples: number[] = []
for (let i = 0; i < 5; i++) {
  await sleep(300)
  const [ms, sbBig] = await timed(async () => {
    const s = await createSandbox({ globals: { context: big }, memoryLimitBytes: 64 * 2 ** 20 })
    await must(s, 'context.length')
    return s
  })
  bigSamples.push(ms)
  await sbBig.dispose()
}
record('40 MB string global available (median)', median(bigSamples), 'ms', 150)

// Seeded Math.random (option `seed`) against QuickJS's own, 10^6 draws per run, interleaved A/B.
const draw = 'let s = 0; for (let i = 0; i < 1000000; i++) s += Math.random(); s > 0'
const drawMs: Record<'plain' | 'seeded', number[]> = { plain: [], seeded: [] }
for (let i = 0; i < 5; i++) {
  for (const kind of ['plain', 'seeded'] as const) {
    const s = await createSandbox({ timeoutMs: 60_000, ...(kind === 'seeded' && { seed: 1 }) })
    drawMs[kind].push((await timed(() => must(s, draw)))[0])
    await s.dispose()
  }
}
record('Math.random per call, unseeded (median of 10^6)', (median(drawMs.plain) * 1000) / 1e6, 'us', null)
record('Math.random per call, seeded (median of 10^6)', (median(drawMs.seeded) * 1000) / 1e6, 'us', null)

const rows = figures.map((f) => ({
  name: f.name,
  value: f.value,
  unit: f.unit,
  ideal: f.ideal,
  ratio: f.ideal ? Number((f.value / f.ideal).toFixed(2)) : null,
}))
console.table(rows)
const out = process.env.RLM_BENCH_JSON
if (out) {
  for (const row of rows) appendFileSync(out, `${JSON.stringify({ ...row, package: '@rlm/sandbox' })}\n`)
}
