// Prints one row per figure and, when RLM_BENCH_JSON names a file, appends it as JSON lines.
import { appendFileSync } from 'node:fs'

export interface Figure {
  name: string
  value: number
  unit: string
  ideal: number | null
  note?: string
}

const rows: Figure[] = []

export function report(f: Figure): void {
  rows.push(f)
  const ratio = f.ideal ? f.value / f.ideal : null
  console.log(
    `${f.name.padEnd(58)} ${f.value.toFixed(f.value < 10 ? 3 : 1).padStart(10)} ${f.unit.padEnd(4)} ${
      f.ideal === null ? ''.padStart(10) : `ideal ${f.ideal.toFixed(0).padStart(5)}`
    } ${ratio === null ? '' : `x${ratio.toFixed(2)}`}${f.note ? `  ${f.note}` : ''}`,
  )
  const file = process.env.RLM_BENCH_JSON
  if (file) {
    appendFileSync(
      file,
      `${JSON.stringify({ name: f.name, value: f.value, unit: f.unit, ideal: f.ideal, ratio, package: '@rlm/engine' })}\n`,
    )
  }
}
