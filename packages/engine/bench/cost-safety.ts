// What stopping cleanly costs: the window check on normal and near-limit prompts, how fast a
// cancelled cell's calls stop, and reservations under fan-out against no budget at all.
import { createOpenAICompatible } from '@rlm/providers'
import { createOpenAICompatibleServer, type ReceivedRequest } from '@rlm/providers/testing'
import { assertFitsWindow } from '../src/context-window.ts'
import { createRlm, type RlmEvent } from '../src/index.ts'
import { report } from './report.ts'

const js = (code: string): string => '```js\n' + code + '\n```'
const isSub = (r: ReceivedRequest): boolean => r.messages[0]?.role !== 'system'
const turns = (r: ReceivedRequest): number => r.messages.filter((m) => m.role === 'assistant').length

async function windowCheck(): Promise<void> {
  const normal = [{ role: 'user' as const, content: 'Summarize this part of the log:\n'.padEnd(8_000, 'x ') }]
  const n = 100_000
  let t0 = performance.now()
  for (let i = 0; i < n; i++) await assertFitsWindow(normal, 128_000, 1_000, 'sub-model', '')
  report({
    name: 'window check, 8 KB prompt, 128k window (per call)',
    value: ((performance.now() - t0) / n) * 1000,
    unit: 'us',
    ideal: null,
  })
  const near = [{ role: 'user' as const, content: 'word '.repeat(100_000) }] // 500 KB, ~100k tokens
  await assertFitsWindow(near, 128_000, 1_000, 'sub-model', '') // the encoder's one-time load
  t0 = performance.now()
  for (let i = 0; i < 5; i++) await assertFitsWindow(near, 128_000, 1_000, 'sub-model', '')
  report({
    name: 'window check, 500 KB prompt near a 128k window (exact count)',
    value: (performance.now() - t0) / 5,
    unit: 'ms',
    ideal: null,
  })
}

async function cancelledCell(): Promise<void> {
  await using server = await createOpenAICompatibleServer({
    replies: (req) => {
      if (isSub(req)) return { text: 'sub', delayMs: 300 }
      return turns(req) === 0
        ? js('await llm_query_batched(Array.from({ length: 200 }, (_, i) => "p" + i))')
        : js('FINAL("done")')
    },
  })
  let batchStart = 0
  let batchEnd = 0
  let late = 0
  const model = createOpenAICompatible({ baseURL: server.baseURL, apiKey: 'k', model: 'm' })
  await createRlm({
    model,
    concurrency: 8,
    executionTimeoutMs: 500,
    onEvent: (e: RlmEvent) => {
      if (e.type === 'batch_start') batchStart = performance.now()
      if (e.type === 'batch_end') batchEnd = performance.now()
      if (e.type === 'subcall_start' && batchEnd) late++
    },
  }).run({ query: 'q', context: 'c' })
  // The batch starts as the cell does, so its deadline is 500 ms after batch_start.
  report({
    name: 'cell deadline to batch fully stopped (200 x 300 ms, conc. 8)',
    value: batchEnd - (batchStart + 500),
    unit: 'ms',
    ideal: null,
  })
  report({ name: 'sub-calls started after the batch was stopped', value: late, unit: '', ideal: null })
  report({
    name: 'sub-calls sent of 200 (cell of 500 ms)',
    value: server.requests.filter(isSub).length,
    unit: '',
    ideal: 16,
  })
}

async function reservedFanOut(): Promise<void> {
  for (const budget of [{}, { maxTokens: 50_000_000, maxSubCalls: 100_000 }]) {
    await using server = await createOpenAICompatibleServer({
      latencyMs: 200,
      replies: (req) =>
        isSub(req)
          ? 'ok'
          : turns(req) === 0
            ? js('await llm_query_batched(Array.from({ length: 100 }, (_, i) => "p" + i))')
            : js('FINAL(1)'),
    })
    const model = createOpenAICompatible({ baseURL: server.baseURL, apiKey: 'k', model: 'm' })
    let first = 0
    let last = 0
    await createRlm({
      model,
      concurrency: 100,
      subMaxOutputTokens: 100,
      budget,
      onEvent: (e) => {
        if (e.type === 'subcall_start' && !first) first = performance.now()
        if (e.type === 'subcall_end') last = performance.now()
      },
    }).run({ query: 'q', context: 'c' })
    const what = 'maxTokens' in budget ? 'with token reservations' : 'no token budget'
    report({
      name: `llm_query_batched 100 x 200 ms, conc. 100, ${what}`,
      value: last - first,
      unit: 'ms',
      ideal: 200,
    })
  }
}

export async function costSafety(): Promise<void> {
  await windowCheck()
  await cancelledCell()
  await reservedFanOut()
}
