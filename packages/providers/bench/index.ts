// @rlm/providers benchmark: overhead of rlm's layer over the bare SDK, and N concurrent
// generate calls at 200 ms server latency (transport comparison, CPU per call, memory).
// Run: node --conditions=@rlm/source --expose-gc bench/index.ts  (or `pnpm bench` at the root)
import { appendFileSync } from 'node:fs'
import { createKeepAliveFetch, createScripted, wrapModel } from '../src/index.ts'
import { measureConcurrency } from './concurrency.ts'
import { measureOverhead } from './overhead.ts'
import { distIsCurrent, measureStartup } from './startup.ts'

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

// Start-up first, in fresh child processes, while this one is still quiet.
for (const variant of distIsCurrent() ? (['source', 'dist'] as const) : (['source'] as const)) {
  const s = await measureStartup(variant)
  record(`import '@rlm/providers' (fresh process, ${variant})`, s.importMs, 'ms')
  record(`import with the 3 SDKs loaded eagerly, the old design (${variant})`, s.eagerImportMs, 'ms')
  record(`process start -> first request, createOpenAICompatible (${variant})`, s.firstRequestMs, 'ms')
  record(`process start -> first reply, createOpenAICompatible (${variant})`, s.firstReplyMs, 'ms')
  if (variant === 'source')
    for (const [entry, ms] of Object.entries(s.sdkImportMs))
      record(`import '${entry}' alone (fresh process)`, ms, 'ms')
}

for (const o of await measureOverhead()) {
  record(`bare SDK call (${o.label})`, o.bareMs, 'ms/call')
  record(`rlm generate (${o.label})`, o.oursMs, 'ms/call')
  record(`rlm overhead over the SDK (${o.label})`, o.overheadMs, 'ms/call', 0.2)
}

const LATENCY = 200

// Two passes in opposite order so load from other processes hits both transports alike;
// each pass is the median of five bursts after three warm-up bursts.
const keepAlive = createKeepAliveFetch()
const transports: Record<string, typeof fetch> = {
  'global fetch': globalThis.fetch,
  'keep-alive http.Agent fetch (default)': keepAlive,
}
const passes: Record<string, Awaited<ReturnType<typeof measureConcurrency>>[]> = {}
for (const order of [Object.keys(transports), Object.keys(transports).reverse()]) {
  for (const label of order) {
    const list = passes[label] ?? []
    list.push(await measureConcurrency(200, LATENCY, transports[label]))
    passes[label] = list
  }
}
for (const [label, rs] of Object.entries(passes)) {
  const mean = (pick: (r: (typeof rs)[number]) => number) => rs.reduce((n, r) => n + pick(r), 0) / rs.length
  record(
    `200 concurrent generate @200 ms, ${label}`,
    mean((r) => r.wallMs),
    'ms',
    LATENCY,
  )
  record(
    `200 concurrent: CPU per call, ${label}`,
    mean((r) => r.cpuMsPerCall),
    'ms/call',
  )
}
const big = await measureConcurrency(1000, LATENCY, keepAlive)
record('1000 concurrent generate @200 ms, keep-alive fetch', big.wallMs, 'ms', LATENCY)
record('1000 concurrent: CPU per call (client + server)', big.cpuMsPerCall, 'ms/call')
record('1000 concurrent: heap growth during a burst', big.heapDeltaMb, 'MiB')
record('1000 concurrent: process RSS', big.rssMb, 'MiB')

// The layer alone (no HTTP): 1000 calls to a scripted model behind retry + rate limiter + timeout.
{
  const model = wrapModel(
    createScripted(() => 'ok', { latencyMs: LATENCY }),
    {
      timeoutMs: 5000,
      rateLimit: { requestsPerMinute: 100_000 },
    },
  )
  const ask = { messages: [{ role: 'user' as const, content: 'ping' }] }
  await Promise.all(Array.from({ length: 100 }, () => model.generate(ask)))
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await Promise.all(Array.from({ length: 1000 }, () => model.generate(ask)))
  const wall = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  record('1000 concurrent, scripted model behind wrapModel (no HTTP)', wall, 'ms', LATENCY)
  record('wrapModel layer: CPU per call', (cpu.user + cpu.system) / 1000 / 1000, 'ms/call')
}

const fmt = (v: number): string =>
  Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(4)
console.log('\n@rlm/providers benchmark (client and server in one process)\n')
console.log(`${'figure'.padEnd(70)} ${'value'.padStart(10)} unit      ${'ideal'.padStart(8)}  ratio`)
for (const f of figures) {
  const ratio = f.ideal === null ? '' : (f.value / f.ideal).toFixed(2)
  console.log(
    `${f.name.padEnd(70)} ${fmt(f.value).padStart(10)} ${f.unit.padEnd(9)} ${(f.ideal === null ? '' : fmt(f.ideal)).padStart(8)}  ${ratio}`,
  )
}
const out = process.env.RLM_BENCH_JSON
if (out) {
  for (const f of figures) {
    appendFileSync(
      out,
      `${JSON.stringify({
        name: f.name,
        value: f.value,
        unit: f.unit,
        ideal: f.ideal,
        ratio: f.ideal === null ? null : f.value / f.ideal,
        package: '@rlm/providers',
      })}\n`,
    )
  }
}
