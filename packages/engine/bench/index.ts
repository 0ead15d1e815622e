// @rlm/engine benchmarks: engine overhead, sub-call fan-out, children, big contexts, cold start.
// Models are a zero-latency scripted model or a loopback OpenAI-compatible server with latency.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { loadContext } from '@rlm/context'
import {
  createOpenAICompatible,
  createScripted,
  type GenerateRequest,
  type GenerateResponse,
  type LanguageModel,
  SPECIFICATION_VERSION,
} from '@rlm/providers'
import { createOpenAICompatibleServer, type ReceivedRequest } from '@rlm/providers/testing'
import { prewarmSandbox } from '@rlm/sandbox'
import { createRlm, type RlmEvent, type RlmResult } from '../src/index.ts'
import { costSafety } from './cost-safety.ts'
import { hostWork } from './host-work.ts'
import { loggingOverhead } from './logging.ts'
import { report } from './report.ts'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const js = (code: string): string => '```js\n' + code + '\n```'
const turns = (messages: Array<{ role: string }>): number =>
  messages.filter((m) => m.role === 'assistant').length
const isRoot = (messages: Array<{ role: string }>): boolean => messages[0]?.role === 'system'
const cellMs = (r: RlmResult, iteration = 0): number => {
  const cell = r.tree.iterations[iteration]?.cells[0]
  if (!cell) throw new Error(`run ended ${r.status}: ${r.error?.code} ${r.error?.message}`)
  return cell.durationMs
}

async function engineOverhead(): Promise<void> {
  const n = 300
  const model = createScripted((req: GenerateRequest) =>
    turns(req.messages) + 1 < n ? js('x = (globalThis.x ?? 0) + 1') : js('FINAL(x)'),
  )
  const rlm = createRlm({ model, maxIterations: n, compaction: false })
  await rlm.run({ query: 'warm', context: 'c' }) // JIT and worker warm-up
  const t0 = performance.now()
  const r = await rlm.run({ query: 'q', context: 'c' })
  const total = performance.now() - t0
  const sandbox = r.tree.iterations.reduce(
    (s, it) => s + it.cells.reduce((c, cell) => c + cell.durationMs, 0),
    0,
  )
  report({
    name: 'iteration, zero-latency model (total incl. sandbox run)',
    value: total / n,
    unit: 'ms',
    ideal: null,
  })
  report({
    name: 'engine overhead per iteration (excl. sandbox run)',
    value: (total - sandbox) / n,
    unit: 'ms',
    ideal: null,
    note: 'target <= 0.5 ms',
  })
}

// From the first sub-call's start to the last one's end: the batch itself, not the cell around it.
const batchSpan = (r: RlmResult): number => {
  if (!r.tree.subCalls.length) throw new Error(`run ended ${r.status}: ${r.error?.code} ${r.error?.message}`)
  return spans.get(r.runId)!.end - spans.get(r.runId)!.start
}
const spans = new Map<string, { start: number; end: number }>()
const trackSpan = (e: RlmEvent): void => {
  if (e.type !== 'subcall_start' && e.type !== 'subcall_end') return
  const s = spans.get(e.runId) ?? { start: performance.now(), end: 0 }
  if (e.type === 'subcall_end') s.end = performance.now()
  spans.set(e.runId, s)
}

async function batched(concurrency: number, latencyMs: number, prompts: number): Promise<RlmResult> {
  await using server = await createOpenAICompatibleServer({
    latencyMs,
    replies: (req: ReceivedRequest) =>
      !isRoot(req.messages)
        ? 'ok'
        : turns(req.messages) === 0
          ? js(`const r = await llm_query_batched(Array.from({ length: ${prompts} }, (_, i) => "p" + i))`)
          : js('FINAL(r.length)'),
  })
  const model = createOpenAICompatible({ baseURL: server.baseURL, apiKey: 'k', model: 'm' })
  // The test server records every request; forget them so the heap figures are the engine's.
  const forget = setInterval(() => (server.requests as ReceivedRequest[]).splice(0), 50)
  try {
    return await createRlm({ model, concurrency, executionTimeoutMs: 600_000, onEvent: trackSpan }).run({
      query: 'q',
      context: 'c',
    })
  } finally {
    clearInterval(forget)
  }
}

/** A model answering "ok" after `latencyMs`, recording nothing (scripted models keep every request). */
const quietModel = (latencyMs: number, reply: () => string = () => 'ok'): LanguageModel => ({
  specificationVersion: SPECIFICATION_VERSION,
  provider: 'bench',
  modelId: 'quiet',
  contextWindow: undefined,
  generate: () =>
    new Promise<GenerateResponse>((resolve) =>
      setTimeout(
        () =>
          resolve({
            text: reply(),
            usage: { inputTokens: 1, outputTokens: 1 },
            finishReason: 'stop',
            costUsd: undefined,
            raw: null,
            timing: { startedAt: Date.now(), durationMs: latencyMs },
          }),
        latencyMs,
      ),
    ),
})

/**
 * Live heap growth at peak (sampled after a full GC every 500 ms, so garbage awaiting collection
 * does not count) and heap retained after the run, in MiB.
 */
async function heapOf(
  run: () => Promise<RlmResult>,
): Promise<{ peak: number; retained: number; r: RlmResult }> {
  gc()
  const before = process.memoryUsage().heapUsed
  let peak = before
  const sampler = setInterval(() => {
    gc()
    peak = Math.max(peak, process.memoryUsage().heapUsed)
  }, 500)
  const r = await run()
  clearInterval(sampler)
  gc()
  const after = process.memoryUsage().heapUsed
  return { peak: (Math.max(peak, after) - before) / 2 ** 20, retained: (after - before) / 2 ** 20, r }
}

async function fanOut(): Promise<void> {
  for (const concurrency of [100, 16]) {
    const r = await batched(concurrency, 200, 100)
    report({
      name: `llm_query_batched 100 x 200 ms, concurrency ${concurrency}`,
      value: batchSpan(r),
      unit: 'ms',
      ideal: Math.ceil(100 / concurrency) * 200,
    })
  }
  // Where the time over 200 ms goes: the same burst without the engine, and the engine without HTTP.
  {
    await using server = await createOpenAICompatibleServer({ latencyMs: 200, replies: () => 'ok' })
    const direct = createOpenAICompatible({ baseURL: server.baseURL, apiKey: 'k', model: 'm' })
    await direct.generate({ messages: [{ role: 'user', content: 'warm' }] })
    const t0 = performance.now()
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        direct.generate({ messages: [{ role: 'user', content: `p${i}` }] }),
      ),
    )
    report({
      name: '100 x 200 ms straight to the loopback server (no engine)',
      value: performance.now() - t0,
      unit: 'ms',
      ideal: 200,
    })
    let turn = 0
    const root = quietModel(0, () =>
      turn++ === 0
        ? js('const r = await llm_query_batched(Array.from({ length: 100 }, (_, i) => "p" + i))')
        : js('FINAL(r.length)'),
    )
    const r = await createRlm({
      model: root,
      subModel: quietModel(200),
      concurrency: 100,
      onEvent: trackSpan,
    }).run({
      query: 'q',
      context: 'c',
    })
    report({
      name: 'llm_query_batched 100 x 200 ms, concurrency 100 (in-process model)',
      value: batchSpan(r),
      unit: 'ms',
      ideal: 200,
    })
  }
  const loop = await heapOf(() => batched(64, 20, 10_000))
  report({
    name: '10,000 sub-calls x 20 ms, concurrency 64 (loopback)',
    value: batchSpan(loop.r),
    unit: 'ms',
    ideal: Math.ceil(10_000 / 64) * 20,
  })
  report({
    name: '10,000 sub-calls (loopback): live heap growth at peak',
    value: loop.peak,
    unit: 'MiB',
    ideal: null,
  })
  report({
    name: '10,000 sub-calls (loopback): heap retained after',
    value: loop.retained,
    unit: 'MiB',
    ideal: null,
  })
  // 1,000 prompts of 50,000 characters: the tree keeps previews, never the prompts.
  let turn = 0
  const bigRoot = quietModel(0, () =>
    turn++ === 0
      ? js('const r = await llm_query_batched(Array.from({ length: 1000 }, (_, i) => "x".repeat(50000) + i))')
      : js('FINAL(r.length)'),
  )
  const big = await heapOf(() =>
    createRlm({ model: bigRoot, subModel: quietModel(5), concurrency: 64, executionTimeoutMs: 600_000 }).run({
      query: 'q',
      context: 'c',
    }),
  )
  if (big.r.answer !== '1000')
    throw new Error(`big-prompt bench ended ${big.r.status}: ${big.r.error?.message}`)
  report({
    name: '1,000 sub-calls of 50,000-char prompts (48 MiB): heap retained',
    value: big.retained,
    unit: 'MiB',
    ideal: null,
  })
  report({
    name: '1,000 sub-calls of 50,000-char prompts: live heap at peak',
    value: big.peak,
    unit: 'MiB',
    ideal: null,
  })
  // The same fan-out with an in-process model: the engine's own cost, without HTTP.
  const sub = createScripted(() => 'ok', { latencyMs: 20 })
  const root = createScripted([
    js('const r = await llm_query_batched(Array.from({ length: 10000 }, (_, i) => "p" + i))'),
    js('FINAL(r.length)'),
  ])
  const s = await createRlm({
    model: root,
    subModel: sub,
    concurrency: 64,
    executionTimeoutMs: 600_000,
    onEvent: trackSpan,
  }).run({ query: 'q', context: 'c' })
  report({
    name: '10,000 sub-calls x 20 ms, concurrency 64 (in-process model)',
    value: batchSpan(s),
    unit: 'ms',
    ideal: Math.ceil(10_000 / 64) * 20,
  })
}

async function children(): Promise<void> {
  const latencyMs = 200
  await using server = await createOpenAICompatibleServer({
    latencyMs,
    replies: (req: ReceivedRequest) => {
      const head = req.messages[1]?.content ?? ''
      if (head.includes('Query: CHILD'))
        return turns(req.messages) === 0 ? js('const n = context.length') : js('FINAL(n)')
      return turns(req.messages) === 0
        ? js(
            'const r = await rlm_query_batched(Array(8).fill("CHILD"), Array.from({ length: 8 }, (_, i) => "x".repeat(i)))',
          )
        : js('FINAL(r.join(","))')
    },
  })
  const model = createOpenAICompatible({ baseURL: server.baseURL, apiKey: 'k', model: 'm' })
  const r = await createRlm({ model, maxDepth: 2 }).run({ query: 'q', context: 'c' })
  if (r.answer !== '0,1,2,3,4,5,6,7') throw new Error(`children bench answered ${r.answer}`)
  report({
    name: 'rlm_query_batched 8 children x 2 turns, 200 ms, depth 2',
    value: cellMs(r),
    unit: 'ms',
    ideal: 2 * latencyMs,
  })
}

async function bigContext(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rlm-bench-'))
  const path = join(dir, 'ctx.txt')
  const line = (i: number): string => `${i} record status=ok value=${(i * 7919) % 100000} tag=${i % 13}\n`
  const parts: string[] = []
  let size = 0
  for (let i = 0; size < 40 * 2 ** 20; i++) {
    const l = line(i)
    parts.push(l)
    size += l.length
  }
  writeFileSync(path, parts.join(''))
  parts.length = 0
  globalThis.gc?.()
  await new Promise((r) => setTimeout(r, 50))
  const baseline = process.memoryUsage().rss
  let peak = baseline
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5)
  const t0 = performance.now()
  const ctx = await loadContext({ path })
  const codes = [
    'print(describe().slice(0, 200))',
    'const hits = search("value=4242\\\\b", { limit: 20 }); print(hits.length)',
    'print(context.slice(1e6, 1e6 + 200))',
    'const cs = chunks({ strategy: "fixed", size: 4000000 }); print(cs.length)',
    'print(lines(100000, 100005))',
    'print(context.indexOf("tag=12", 3e7))',
    'print(search("tag=7", { literal: true, limit: 5 }).map(h => h.line))',
    'print(context.length)',
    'print(context.slice(-100))',
  ]
  const model = createScripted((req: GenerateRequest) => {
    const t = turns(req.messages)
    return t < codes.length ? js(codes[t]!) : js('FINAL(hits.length)')
  })
  const r = await createRlm({ model, maxIterations: 12 }).run({ query: 'q', context: ctx })
  const ms = performance.now() - t0
  clearInterval(sampler)
  if (r.status !== 'final') throw new Error(`40 MB bench ended ${r.status}: ${r.error?.message}`)
  report({
    name: '10 iterations over a 40 MB context: peak RSS above baseline',
    value: (peak - baseline) / 2 ** 20,
    unit: 'MiB',
    ideal: size / 2 ** 20,
    note: 'target <= 1.5x',
  })
  report({
    name: '10 iterations over a 40 MB context: wall time (load included)',
    value: ms,
    unit: 'ms',
    ideal: null,
  })
  rmSync(dir, { recursive: true, force: true })
}

/** True when every package on the cold-start path has a build newer than its sources. */
function distIsCurrent(): boolean {
  const newest = (dir: string, ext: string): number => {
    let t = 0
    for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' }))
      if (f.endsWith(ext) && !f.endsWith('.test.ts')) t = Math.max(t, statSync(join(dir, f)).mtimeMs)
    return t
  }
  const packages = join(import.meta.dirname, '..', '..')
  return ['errors', 'context', 'sandbox', 'providers', 'engine'].every((p) => {
    const dir = join(packages, p)
    return (
      existsSync(join(dir, 'dist', 'index.js')) &&
      newest(join(dir, 'dist'), '.js') >= newest(join(dir, 'src'), '.ts')
    )
  })
}

async function coldStart(): Promise<void> {
  const variants = [
    { name: 'source', args: ['--conditions=@rlm/source', join(import.meta.dirname, 'cold-start-child.ts')] },
    ...(distIsCurrent() ? [{ name: 'dist', args: [join(import.meta.dirname, 'cold-start-child.mjs')] }] : []),
  ]
  for (const variant of variants) {
    const samples: number[] = []
    for (let i = 0; i < 5; i++) {
      let first = 0
      await using server = await createOpenAICompatibleServer({
        replies: () => {
          first ||= performance.now()
          return js('FINAL(1)')
        },
      })
      const t0 = performance.now()
      const child = spawn(process.execPath, [...variant.args, server.baseURL], {
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      await new Promise((r) => child.on('exit', r))
      samples.push(first - t0)
    }
    samples.sort((a, b) => a - b)
    report({
      name: `cold start: new process to first model request (${variant.name}, median)`,
      value: samples[2]!,
      unit: 'ms',
      ideal: null,
      note: 'target <= 300 ms',
    })
  }
  if (variants.length === 1)
    console.log('  (dist figure skipped: a build on the path is missing or older than its source)')
}

const only = process.argv.slice(2)
const suites = {
  engineOverhead,
  loggingOverhead,
  fanOut,
  children,
  bigContext,
  coldStart,
  costSafety,
  hostWork,
}
await prewarmSandbox({ memoryLimitBytes: 512 * 2 ** 20 })
for (const [name, fn] of Object.entries(suites)) if (!only.length || only.includes(name)) await fn()
// Exit explicitly: an idle sandbox handle must not keep the bench (and `pnpm bench`) waiting.
process.exit(0)
