// @rlm/server benchmark: the latency the server adds to a run over calling `run()` directly
// (target <= 5 ms), and the memory of a waiting run (running and queued).
// Run: node --conditions=@rlm/source --expose-gc bench/index.ts  (or `pnpm bench server` at the root)

import { appendFileSync } from 'node:fs'
import { measureIdleMemory } from './idle-memory.ts'
import { measureOverhead } from './request-overhead.ts'

const quick = process.env.RLM_BENCH_QUICK === '1'

interface Figure {
  name: string
  value: number
  unit: string
  ideal: number | null
  samples?: number[]
}
const figures: Figure[] = []

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

const o = await measureOverhead(quick ? 3 : 10, quick ? 10 : 30)
const direct = median(o.directMs)
const viaServer = median(o.serverMs)
figures.push({
  name: 'one-turn run, direct run() (zero-latency model)',
  value: direct,
  unit: 'ms',
  ideal: null,
  samples: o.directMs,
})
figures.push({
  name: 'the same run via POST /v1/chat/completions (fetch)',
  value: viaServer,
  unit: 'ms',
  ideal: null,
  samples: o.serverMs,
})
figures.push({
  name: 'server latency added per request (wait minus the run inside)',
  value: median(o.addedMs),
  unit: 'ms',
  ideal: 5,
  samples: o.addedMs,
})
figures.push({
  name: 'the same run via the openai SDK',
  value: median(o.sdkMs),
  unit: 'ms',
  ideal: null,
  samples: o.sdkMs,
})
figures.push({
  name: 'bare Node HTTP round trip, fixed JSON (the floor)',
  value: median(o.bareHttpMs),
  unit: 'ms',
  ideal: null,
  samples: o.bareHttpMs,
})

const k = quick ? 10 : 20
const m = await measureIdleMemory(k)
figures.push({
  name: `memory per waiting running run, heap after GC (${k} runs)`,
  value: m.runningHeapKiB,
  unit: 'KiB',
  ideal: null,
})
figures.push({
  name: `memory per waiting running run, RSS incl. its sandbox (${k} runs)`,
  value: m.runningRssKiB,
  unit: 'KiB',
  ideal: null,
})
figures.push({
  name: `memory per queued run, heap after GC (${k} runs)`,
  value: m.queuedHeapKiB,
  unit: 'KiB',
  ideal: null,
})
figures.push({
  name: `memory per queued run, RSS (${k} runs)`,
  value: m.queuedRssKiB,
  unit: 'KiB',
  ideal: null,
})

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3))
for (const f of figures) {
  const spread = f.samples
    ? `${fmt(Math.min(...f.samples))}-${fmt(Math.max(...f.samples))} (n=${f.samples.length})`
    : ''
  const ratio = f.ideal ? `x${(f.value / f.ideal).toFixed(2)}` : ''
  console.log(
    `${f.name.padEnd(66)} ${fmt(f.value).padStart(9)} ${f.unit.padEnd(4)} ${spread.padEnd(22)} ${f.ideal ?? ''} ${ratio}`,
  )
}
// One JSON line per figure for `pnpm bench`'s table and bench/results (see bench/README.md).
const record = (f: Figure) => ({
  name: f.name,
  value: f.value,
  unit: f.unit,
  ideal: f.ideal,
  ratio: f.ideal ? f.value / f.ideal : null,
  package: '@rlm/server',
  ...(f.samples && { min: Math.min(...f.samples), max: Math.max(...f.samples), samples: f.samples.length }),
})
if (process.env.RLM_BENCH_JSON)
  appendFileSync(process.env.RLM_BENCH_JSON, figures.map((f) => `${JSON.stringify(record(f))}\n`).join(''))
process.exit(0)
