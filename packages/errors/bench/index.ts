// @rlm/errors benchmarks: the cost of the one redaction point on what a run emits. Every event of
// a run and its result pass through redactValue, so it must stay far below the engine's budget of
// 0.5 ms per iteration. Prints a table; with RLM_BENCH_JSON set, appends one JSON line per figure.
import { appendFileSync } from 'node:fs'
import { redactValue, registerSecret, secretRedactor } from '../src/index.ts'

interface Figure {
  name: string
  value: number
  unit: string
  ideal: number | null
}

const quick = process.env.RLM_BENCH_QUICK === '1'
registerSecret('sk-bench-registered-key-0123456789')
const redact = secretRedactor()

function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? Number.NaN
}

function timeMs(fn: () => void, runs: number): number {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    fn()
    samples.push(performance.now() - t)
  }
  return median(samples)
}

// A model_reply-sized event: a reply with code, no secret in it (the common case).
const event = {
  type: 'model_reply',
  runId: 'r',
  nodeId: '0',
  depth: 0,
  timestamp: 0,
  text: `${'x'.repeat(2_000)}${' const hits = search("error")\nprint(hits.length)\n'.repeat(25)}`,
  usage: { inputTokens: 1, outputTokens: 2 },
}
const perEvent = 2_000
const eventUs =
  (timeMs(
    () => {
      for (let i = 0; i < perEvent; i++) redactValue({ ...event, timestamp: i }, redact)
    },
    quick ? 3 : 15,
  ) *
    1000) /
  perEvent

// The result of a 10,000-sub-call run: each record keeps 2,000 prompt and 200 answer characters.
const records = Array.from({ length: quick ? 1_000 : 10_000 }, (_, i) => ({
  id: `0:${i}`,
  prompt: `chunk ${i}: ${'lorem ipsum dolor sit amet '.repeat(74)}`,
  answer: `digest ${i} `.repeat(20),
  usage: { inputTokens: 500, outputTokens: 50 },
}))
const resultMs = timeMs(() => redactValue({ tree: { subCalls: records } }, redact), quick ? 2 : 7)

const text = 'lorem ipsum dolor sit amet, consectetur adipiscing elit '.repeat(18_000)
const mbMs = timeMs(() => redact(text), quick ? 3 : 15) / (text.length / 1e6)

const figures: Figure[] = [
  { name: 'redactValue: one ~3k-char event (no secret in it)', value: eventUs, unit: 'µs', ideal: null },
  {
    name: `redactValue: result of ${records.length.toLocaleString('en-US')} sub-call records`,
    value: resultMs,
    unit: 'ms',
    ideal: null,
  },
  { name: 'redactSecrets: per million characters of prose', value: mbMs, unit: 'ms', ideal: null },
]
for (const f of figures) console.log(`${f.name.padEnd(60)} ${f.value.toFixed(2).padStart(9)} ${f.unit}`)
const out = process.env.RLM_BENCH_JSON
if (out)
  for (const f of figures)
    appendFileSync(out, `${JSON.stringify({ ...f, ratio: null, package: '@rlm/errors' })}\n`)
