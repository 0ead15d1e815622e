// Sampling and reporting: each scenario's figure is the median of repeated runs (tinybench), shown
// beside its ideal and the ratio, printed as it lands and appended to RLM_BENCH_JSON for `pnpm bench`.
import { appendFileSync } from 'node:fs'
import { Bench } from 'tinybench'

export interface Figure {
  name: string
  value: number
  unit: string
  ideal: number | null
  ratio: number | null
  package: string
  /** Spread of the samples behind `value` (the median), when there were several. */
  min?: number
  max?: number
  samples?: number
  note?: string
}

export interface Summary {
  median: number
  min: number
  max: number
  samples: number
}

/** True under `pnpm bench --quick` (fewer samples, smaller sizes). */
export const QUICK = process.env.RLM_BENCH_QUICK === '1'

/**
 * Runs `fn` `runs` times after `warmup` untimed runs; the sample is the wall time of each call,
 * or the number it returns (a duration it measured itself, e.g. from the child process).
 */
export async function sample(
  fn: () => Promise<number | undefined>,
  { runs, warmup = 1 }: { runs: number; warmup?: number },
): Promise<Summary> {
  const bench = new Bench({
    iterations: QUICK ? Math.min(runs, 3) : runs,
    time: 0,
    warmup: warmup > 0,
    warmupIterations: warmup,
    warmupTime: 0,
    throws: true,
  })
  bench.add('scenario', async () => {
    const measured = await fn()
    return measured === undefined ? undefined : { overriddenDuration: measured }
  })
  await bench.run()
  const result = bench.tasks[0]?.result
  if (!result || !('latency' in result)) throw new Error(`sampling failed: ${result?.state ?? 'no result'}`)
  const l = result.latency
  return { median: l.p50, min: l.min, max: l.max, samples: l.samples?.length ?? runs }
}

export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const median =
    sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
  return { median, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0, samples: sorted.length }
}

/** k x s + shift, sample by sample. */
export const scale = (s: Summary, k: number, shift = 0): Summary => ({
  median: s.median * k + shift,
  min: s.min * k + shift,
  max: s.max * k + shift,
  samples: s.samples,
})

const recorded: Figure[] = []

export function report(figure: {
  name: string
  value: number | Summary
  unit: string
  ideal?: number | null
  note?: string
}): Figure {
  const s = typeof figure.value === 'number' ? undefined : figure.value
  const value = s ? s.median : (figure.value as number)
  const ideal = figure.ideal ?? null
  const f: Figure = {
    name: figure.name,
    value,
    unit: figure.unit,
    ideal,
    ratio: ideal ? value / ideal : null,
    package: 'bench/e2e',
    ...(s && s.samples > 1 && { min: s.min, max: s.max, samples: s.samples }),
    ...(figure.note && { note: figure.note }),
  }
  recorded.push(f)
  if (process.env.RLM_BENCH_JSON) appendFileSync(process.env.RLM_BENCH_JSON, `${JSON.stringify(f)}\n`)
  console.log(`  ${row(f).join('  ')}`)
  return f
}

const num = (v: number | null | undefined): string =>
  v == null ? '' : String(Math.abs(v) >= 1000 ? Math.round(v) : Number(v.toPrecision(3)))

function row(f: Figure): string[] {
  const spread = f.min !== undefined ? `${num(f.min)}–${num(f.max)} (n=${f.samples})` : ''
  return [
    f.name,
    `${num(f.value)} ${f.unit}`,
    spread,
    num(f.ideal),
    f.ratio == null ? '' : `${num(f.ratio)}x`,
  ]
}

export function printTable(): void {
  const head = ['metric', 'median', 'spread (min–max)', 'ideal', 'ratio']
  const rows = recorded.map(row)
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)))
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i] as number)).join('  ')
  console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`)
  for (const r of rows) console.log(line(r))
}
