// Scenario 8: a 100M-token context (~400 MB of generated text in a file): load it, then one run
// whose turns describe it, search it once, fan out over all of it in chunks, and finish. Runs in
// a child process (its memory is the run's own). Each step's time comes from the run's events.
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import type { RlmEvent } from '@rlm/engine'
import { runChild } from '../child-process.ts'
import { MiB, makeTextFile, NEEDLE } from '../context-text.ts'
import { QUICK, report } from '../figures.ts'
import type { BenchServer } from '../model-server-process.ts'
import { peakRss, settledMemory } from '../process-memory.ts'
import { benchRlm, js, whatWentWrong } from '../rlm-under-test.ts'

const MARKER = 'BENCH-HUGE-CONTEXT'
const RANGES = 'BENCH-HUGE-RANGES'
const STRINGS = 'BENCH-HUGE-STRINGS'
const LATENCY_MS = 200
const CONCURRENCY = 64
/** ~250K tokens per chunk: ~400 sub-calls over 100M tokens. */
const CHUNK_CHARS = 1_000_000

/** The root's code: the fan-out hands chunks as host-resolved ranges, or builds each prompt string in the guest. */
function turns(ranges: boolean): string[] {
  const item = ranges
    ? "({ prompt: 'Find the vault access code in this text, or say NOT FOUND:', range: c })"
    : "'Find the vault access code in this text, or say NOT FOUND:\\n\\n' + context.slice(c.start, c.end)"
  return [
    'print(describe())',
    "const hits = search('vault access code', { literal: true, limit: 10 })\nprint(hits.length, hits[0] && hits[0].line)",
    `const parts = chunks({ strategy: 'fixed', size: ${CHUNK_CHARS} })
const answers = []
for (let i = 0; i < parts.length; i += ${CONCURRENCY}) {
  const batch = parts.slice(i, i + ${CONCURRENCY}).map((c) => ${item})
  for (const a of await llm_query_batched(batch)) answers.push(a)
}
print(parts.length, answers.filter((a) => !is_error(a)).length)`,
    "FINAL(answers.filter((a) => !is_error(a)).length + ' of ' + parts.length + ' chunks; ' + lines(hits[0].line, hits[0].line).replace(/^\\d+ /, '').trim())",
  ].map(js)
}

export interface HugeContextReport {
  bytes: number
  estimatedTokens: number
  rawReadMs: number
  loadMs: number
  scanMs: number
  /** The run with ranges (the host slices each chunk into its prompt). */
  cellMs: number[]
  runMs: number
  /** Peak RSS after the ranges run, before the whole-string run. */
  rangesPeakRss: number
  /** The same run with each prompt string built in the guest, run second. */
  stringsCellMs: number[]
  stringsRunMs: number
  chunks: number
  baselineRss: number
  peakRss: number
}

/** Reads the file into one buffer: the floor for loading it. */
function rawRead(file: string): Buffer {
  const size = statSync(file).size
  const buf = Buffer.allocUnsafe(size)
  const fd = openSync(file, 'r')
  try {
    let off = 0
    while (off < size) off += readSync(fd, buf, off, size - off, off)
  } finally {
    closeSync(fd)
  }
  return buf
}

export async function runHugeContext(baseURL: string, file: string): Promise<HugeContextReport> {
  const { loadContext } = await import('@rlm/context')
  const rlm = benchRlm(baseURL, { concurrency: CONCURRENCY })
  await rlm.run({ query: `${MARKER} warm-up`, context: 'warm-up' })
  // Read twice and keep the faster: both reads then come from the page cache, as the load does.
  let rawReadMs = Number.POSITIVE_INFINITY
  let raw: Buffer | undefined
  let t = 0
  for (let i = 0; i < 2; i++) {
    raw = undefined
    t = performance.now()
    raw = rawRead(file)
    rawReadMs = Math.min(rawReadMs, performance.now() - t)
  }
  if (!raw) throw new Error('no raw read')
  t = performance.now()
  const found = raw.indexOf('vault access code')
  const scanMs = performance.now() - t
  if (found < 0) throw new Error('the generated context has no needle')
  raw = undefined
  const baseline = settledMemory()
  t = performance.now()
  const ctx = await loadContext({ path: file })
  const loadMs = performance.now() - t
  const chunks = Math.ceil(ctx.length / CHUNK_CHARS)
  const run = async (marker: string): Promise<{ cellMs: number[]; runMs: number }> => {
    const cellMs: number[] = []
    const onEvent = (e: RlmEvent): void => {
      if (e.type === 'code_end' && e.depth === 0) cellMs.push(e.durationMs)
    }
    const t0 = performance.now()
    const r = await rlm.run({ query: `${marker}: what is the vault access code?`, context: ctx, onEvent })
    const runMs = performance.now() - t0
    if (r.answer !== `${chunks} of ${chunks} chunks; ${NEEDLE}`)
      throw new Error(`100M run (${marker}) went wrong: ${whatWentWrong(r)}`)
    return { cellMs, runMs }
  }
  // Ranges first: peak RSS is a high-water mark, so only the first run's peak is its own.
  const { cellMs, runMs } = await run(RANGES)
  const rangesPeakRss = peakRss()
  const strings = await run(STRINGS)
  return {
    bytes: ctx.byteLength,
    estimatedTokens: ctx.estimateTokens(),
    rawReadMs,
    loadMs,
    scanMs,
    cellMs,
    runMs,
    rangesPeakRss,
    stringsCellMs: strings.cellMs,
    stringsRunMs: strings.runMs,
    chunks,
    baselineRss: baseline.rss,
    peakRss: peakRss(),
  }
}

export async function scenarioHugeContext(server: BenchServer): Promise<void> {
  const bytes = QUICK ? 40 * MiB : 400_000_000
  let t = performance.now()
  const file = makeTextFile(bytes)
  const generateMs = performance.now() - t
  await server.play({
    latencyMs: 0,
    subLatencyMs: LATENCY_MS,
    conversations: [
      { match: `${MARKER} warm-up`, turns: [js("FINAL('ok')")] },
      { match: RANGES, turns: turns(true) },
      { match: STRINGS, turns: turns(false) },
    ],
  })
  t = performance.now()
  const { result: r } = await runChild<HugeContextReport>('huge-context', { baseURL: server.baseURL, file })
  const totalMs = performance.now() - t
  const [describeMs = 0, searchMs = 0, fanOutMs = 0] = r.cellMs
  const tokens = `${(r.estimatedTokens / 1e6).toFixed(0)}M tokens`
  console.log(
    `  context file: ${(r.bytes / 1e6).toFixed(0)} MB, ~${tokens} (generated in ${generateMs.toFixed(0)} ms); child total ${totalMs.toFixed(0)} ms`,
  )
  report({
    name: `8. ${tokens}: loadContext from file (ideal: raw read)`,
    value: r.loadMs,
    unit: 'ms',
    ideal: r.rawReadMs,
  })
  report({ name: '8. describe() cell', value: describeMs, unit: 'ms' })
  report({
    name: '8. one literal search cell (ideal: Buffer.indexOf scan)',
    value: searchMs,
    unit: 'ms',
    ideal: r.scanMs,
  })
  const fanOutIdeal = Math.ceil(r.chunks / CONCURRENCY) * LATENCY_MS
  report({
    name: `8. fan-out over ${r.chunks} chunks at ${LATENCY_MS} ms, concurrency ${CONCURRENCY}, { prompt, range } items`,
    value: fanOutMs,
    unit: 'ms',
    ideal: fanOutIdeal,
  })
  report({
    name: '8. the same fan-out with prompt strings built in the guest (context.slice + concat)',
    value: r.stringsCellMs[2] ?? 0,
    unit: 'ms',
    ideal: fanOutIdeal,
  })
  report({
    name: '8. whole run (4 turns, ranges)',
    value: r.runMs,
    unit: 'ms',
    ideal: r.scanMs + fanOutIdeal,
  })
  report({
    name: '8. peak RSS above baseline, ranges run (ideal: one copy of the context)',
    value: (r.rangesPeakRss - r.baselineRss) / MiB,
    unit: 'MiB',
    ideal: r.bytes / MiB,
  })
  report({
    name: '8. peak RSS above baseline, after the whole-string run too',
    value: (r.peakRss - r.baselineRss) / MiB,
    unit: 'MiB',
    ideal: r.bytes / MiB,
  })
}
