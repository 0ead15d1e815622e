// Host work under hostile guest code: how late the host's event loop runs during cells that
// search, match or chunk a big context slowly (every timer should fire within 100 ms), what a
// guest search() costs now that it runs on a worker, and the memory of queued range sub-calls.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createScripted } from '@rlm/providers'
import { createRlm, type RlmConfigInput } from '../src/index.ts'
import { createSink } from '../test/sink-model.ts'
import { report } from './report.ts'

const js = (code: string): string => '```js\n' + code + '\n```'
const noDigits = (chars: number) => 'abcdefghij klmnop\n'.repeat(Math.ceil(chars / 18)).slice(0, chars)

/**
 * Runs `code` as the second cell (the first warms the sandbox) and returns the event loop's worst
 * delay (ms) while that cell ran, from the model's reply to the cell's end, and its duration.
 */
async function cellDelay(
  code: string,
  context: string,
  config: Partial<RlmConfigInput> = {},
): Promise<{ maxDelayMs: number; cellMs: number; error?: string }> {
  const model = createScripted([js('1'), js(code), js('FINAL("done")')])
  const h = monitorEventLoopDelay({ resolution: 10 })
  const rlm = createRlm({
    model,
    prewarmSandboxes: 0,
    ...config,
    onEvent: (e) => {
      if (e.type === 'model_reply' && e.iteration === 1) {
        h.reset()
        h.enable()
      } else if (e.type === 'code_end' && e.iteration === 1) h.disable()
    },
  })
  const r = await rlm.run({ query: 'q', context })
  const cell = r.tree.iterations[1]?.cells[0]
  if (!cell) throw new Error(`run ended ${r.status}: ${r.error?.code}`)
  return { maxDelayMs: h.max / 1e6, cellMs: cell.durationMs, ...(cell.error && { error: cell.error.code }) }
}

async function eventLoop(): Promise<void> {
  const slow = { executionTimeoutMs: 2_000 }
  const cases: Array<[string, string, string, Partial<RlmConfigInput>]> = [
    [
      'slow search() cell, 1M chars (E_TIMEOUT at 2 s)',
      'search("[\\\\s\\\\S]{1,1000}[0-9]")',
      noDigits(1e6),
      slow,
    ],
    [
      'slow context.match cell, host-backed 1M chars',
      'context.match(/[\\s\\S]{1,1000}[0-9]/g)',
      noDigits(1e6),
      { ...slow, contextInlineLimit: 0 },
    ],
    ['chunks tokens over 4M chars', 'chunks({ strategy: "tokens", size: 1000 }).length', noDigits(4e6), {}],
    [
      'search(".", { limit: 10000 }) over 6M chars',
      'search(".", { limit: 10000 }).length',
      'x'.repeat(6e6),
      {},
    ],
    [
      'context.indexOf miss over host-backed 40M chars',
      'context.indexOf("needle")',
      noDigits(40e6),
      { contextInlineLimit: 0 },
    ],
  ]
  for (const [name, code, context, config] of cases) {
    const r = await cellDelay(code, context, config)
    report({
      name: `event loop max delay: ${name}`,
      value: r.maxDelayMs,
      unit: 'ms',
      ideal: 100,
      note: `cell ${Math.round(r.cellMs)} ms${r.error ? ` ${r.error}` : ''}`,
    })
  }
}

async function searchCost(): Promise<void> {
  const n = 200
  const model = createScripted([
    js('search("klm", { limit: 5 })'), // warm-up: the worker and its JIT
    js(
      `const t0 = Date.now(); for (let i = 0; i < ${n}; i++) search("klm", { limit: 5 }); FINAL(Date.now() - t0)`,
    ),
  ])
  const r = await createRlm({ model, prewarmSandboxes: 0 }).run({ query: 'q', context: noDigits(1e6) })
  report({
    name: 'guest search() call, 1M chars, 5 hits (worker round trip)',
    value: Number(r.answer) / n,
    unit: 'ms',
    ideal: null,
  })
}

async function queuedRanges(): Promise<void> {
  const sink = createSink(5)
  const model = createScripted([
    js(`const calls = []
for (let i = 0; i < 1000; i++) calls.push(llm_query('p', { range: { start: 0, end: context.length } }))
print((await Promise.all(calls)).length)`),
    js('FINAL("done")'),
  ])
  const before = process.memoryUsage().rss
  let peak = before
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 20)
  const t0 = performance.now()
  await createRlm({ model, subModel: sink, concurrency: 16, prewarmSandboxes: 0 }).run({
    query: 'q',
    context: noDigits(1e6),
  })
  clearInterval(timer)
  report({
    name: '1,000 queued llm_query over a 1M-char range: peak RSS above start',
    value: (peak - before) / 2 ** 20,
    unit: 'MiB',
    ideal: null,
    note: `${Math.round(performance.now() - t0)} ms; eager slicing held ~1,000 MB`,
  })
}

export async function hostWork(): Promise<void> {
  await eventLoop()
  await searchCost()
  await queuedRanges()
}
