// Nothing is billed after a stop: a cell's end, the caller's abort or a spent budget cancels every
// call under it. Asserted with counts at a loopback OpenAI-compatible server, never tight timings.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createOpenAICompatible } from '@rlm/providers'
import { createOpenAICompatibleServer, type ReceivedRequest } from '@rlm/providers/testing'
import { sandboxStats } from '@rlm/sandbox'
import { describe, expect, it } from 'vitest'
import { createRlm, type RlmEvent } from '../src/index.ts'
import { js } from './scripted.ts'

const isSub = (r: ReceivedRequest): boolean => r.messages[0]?.role !== 'system'
const head = (r: ReceivedRequest): string => r.messages.find((m) => m.role === 'user')?.content ?? ''
const turns = (r: ReceivedRequest): number => r.messages.filter((m) => m.role === 'assistant').length
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function modelFor(server: { baseURL: string }, model = 'm', extra: Record<string, unknown> = {}) {
  return createOpenAICompatible({ baseURL: server.baseURL, apiKey: 'k', model, ...extra })
}

describe('cancellation through the tree', () => {
  it('a cell timeout stops a 200-prompt batch: nothing sent after the cell, in-flight sockets closed, only completed calls billed', async () => {
    await using server = await createOpenAICompatibleServer({
      replies: (req) => {
        // The first wave answers at once, the second hangs: at the cell's end 8 calls are done,
        // 8 in flight and 184 queued, however loaded the machine is.
        if (isSub(req)) return { text: 'sub', delayMs: Number(head(req).slice(1)) < 8 ? 10 : 30_000 }
        return turns(req) === 0
          ? js(
              'const r = await llm_query_batched(Array.from({ length: 200 }, (_, i) => "p" + i))\nprint(r.length)',
            )
          : js('FINAL("done")')
      },
    })
    const events: RlmEvent[] = []
    let cellEnded = 0
    const r = await createRlm({
      model: modelFor(server),
      concurrency: 8,
      executionTimeoutMs: 2_000,
      onEvent: (e) => {
        events.push(e)
        if (e.type === 'code_end' && cellEnded === 0) cellEnded = e.timestamp
      },
    }).run({ query: 'q', context: 'c' })
    await sleep(700) // a lane still pulling prompts would send now
    expect(r.status).toBe('final')
    expect(events.find((e) => e.type === 'code_end')).toMatchObject({
      ok: false,
      error: { code: 'E_TIMEOUT' },
    })
    // Counted on the client side (the in-process server may read a request late on a busy loop):
    // every request was sent before the cell ended, and the server got exactly those.
    const starts = events.filter((e) => e.type === 'subcall_start')
    // 16 on a quiet machine (8 answered, 8 hanging); a loaded one may have sent fewer in 2 s
    expect(starts.length).toBeGreaterThanOrEqual(8)
    expect(starts.length).toBeLessThanOrEqual(16)
    for (const e of starts) expect(e.timestamp).toBeLessThanOrEqual(cellEnded)
    const subs = server.requests.filter(isSub)
    expect(subs.length).toBeLessThanOrEqual(starts.length)
    const done = r.tree.subCalls.filter((s) => s.status === 'ok').length
    const cancelled = r.tree.subCalls.filter((s) => s.status === 'cancelled').length
    expect(done).toBeLessThanOrEqual(8) // only p0..p7 ever answer
    expect(done + cancelled).toBe(starts.length)
    // a hanging request the server had read saw its socket closed
    const hangingRead = subs.filter((q) => Number(head(q).slice(1)) >= 8).length
    expect(server.closedEarly).toBeGreaterThanOrEqual(hangingRead)
    expect(server.closedEarly).toBeLessThanOrEqual(cancelled)
    expect(r.usage.calls).toBe(2 + done) // two root turns and the completed sub-calls only
    expect(r.subCalls).toBe(starts.length)
    const ends = events.filter((e) => e.type === 'subcall_end')
    expect(ends).toHaveLength(starts.length)
    for (const e of ends)
      if (e.type === 'subcall_end' && e.status === 'cancelled') expect(e.usage.calls).toBe(0)
    const batch = events.find((e) => e.type === 'batch_end')
    expect(batch).toMatchObject({
      fn: 'llm_query_batched',
      size: 200,
      ok: done,
      cancelled,
      errors: 0,
      notStarted: 200 - starts.length,
    })
  })

  it('a cell timeout stops looping child RLMs: no child sends another request, sandboxes closed', async () => {
    await using server = await createOpenAICompatibleServer({
      replies: (req) => {
        if (isSub(req)) return { text: 'tick', delayMs: 20 }
        if (head(req).includes('child-'))
          return { text: js('await llm_query("tick")\nprint("again")'), delayMs: 20 }
        return turns(req) === 0
          ? js('const r = await rlm_query_batched(["child-1", "child-2", "child-3", "child-4"])\nprint(r)')
          : js('FINAL("done")')
      },
    })
    const events: RlmEvent[] = []
    let cellEnded = 0
    const r = await createRlm({
      model: modelFor(server),
      maxIterations: 1000,
      executionTimeoutMs: 5_000, // room for four child sandboxes to boot on a loaded 2-core machine
      budget: { maxErrors: 1000 },
      onEvent: (e) => {
        events.push(e)
        if (e.type === 'code_end' && e.nodeId === '0' && cellEnded === 0) cellEnded = e.timestamp
      },
    }).run({ query: 'root', context: 'c' })
    const afterRun = server.requests.length
    await sleep(700)
    expect(r.status).toBe('final')
    expect(events.filter((e) => e.type === 'child_end')).toHaveLength(4)
    const inChildren = events.filter((e) => e.depth > 0)
    expect(inChildren.filter((e) => e.type === 'iteration_start').length).toBeGreaterThanOrEqual(4)
    const sentLater = inChildren.filter(
      (e) => (e.type === 'iteration_start' || e.type === 'subcall_start') && e.timestamp > cellEnded,
    )
    expect(sentLater).toHaveLength(0)
    expect(server.requests.length).toBe(afterRun)
    for (const child of r.tree.children) expect(child.status).toBe('error')
    // every sandbox of the run was closed: only the warm spares remain
    const stats = sandboxStats()
    expect(stats.live).toBe(0)
    expect(stats.workers).toBe(stats.spares)
  })

  it('the caller aborting run({ signal }) mid-batch resolves promptly with E_ABORTED, trace closed, nothing sent after', async () => {
    await using server = await createOpenAICompatibleServer({
      replies: (req) => {
        if (isSub(req)) return { text: 'sub', delayMs: 30_000 }
        return js(
          'const r = await llm_query_batched(Array.from({ length: 100 }, (_, i) => "p" + i))\nFINAL(r.length)',
        )
      },
    })
    const trace = join(mkdtempSync(join(tmpdir(), 'rlm-cancel-')), 'trace.jsonl')
    const ac = new AbortController()
    let abortedAt = 0
    let started = 0
    const r = await createRlm({
      model: modelFor(server),
      concurrency: 4,
      trace,
      onEvent: (e) => {
        // abort once the first wave is in flight
        if (e.type === 'subcall_start' && ++started === 4)
          setTimeout(() => {
            abortedAt = Date.now()
            ac.abort()
          }, 200)
      },
    }).run({
      query: 'q',
      context: 'c',
      signal: ac.signal,
    })
    const resolvedIn = Date.now() - abortedAt
    const sent = server.requests.length
    await sleep(500)
    expect(r).toMatchObject({ status: 'error', error: { code: 'E_ABORTED' } })
    expect(resolvedIn).toBeLessThan(1_500)
    expect(server.requests.length).toBe(sent)
    expect(server.requests.filter(isSub)).toHaveLength(4)
    expect(r.usage.calls).toBe(1)
    const lines = readFileSync(trace, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RlmEvent)
    expect(lines.at(-1)?.type).toBe('run_end')
  })
})

describe('closing a session', () => {
  it('cancels the run in progress: nothing more is sent, the run ends E_ABORTED', async () => {
    let closing: Promise<void> | undefined
    let subs = 0
    const close = (): void => {
      closing = session.close()
    }
    await using server = await createOpenAICompatibleServer({
      replies: (req) => {
        if (!isSub(req))
          return js(
            'const r = await llm_query_batched(Array.from({ length: 50 }, (_, i) => "p" + i))\nFINAL(r.length)',
          )
        if (++subs === 4) setImmediate(close) // the first wave is in flight
        return { text: 'sub', delayMs: 30_000 }
      },
    })
    const session = createRlm({ model: modelFor(server), concurrency: 4 }).session({ context: 'c' })
    const r = await session.run({ query: 'q' })
    await closing
    const sent = server.requests.length
    await sleep(300)
    expect(r).toMatchObject({ status: 'error', error: { code: 'E_ABORTED' } })
    expect(server.requests.filter(isSub)).toHaveLength(4)
    expect(server.requests.length).toBe(sent)
    expect(server.closedEarly).toBe(4)
    await expect(session.run({ query: 'again' })).rejects.toMatchObject({ code: 'E_CONFIG' })
  })
})

describe('budgets hold under fan-out', () => {
  it('maxSubCalls 50 with a 1,000-prompt batch at concurrency 16: the server sees at most 50 sub-calls', async () => {
    await using server = await createOpenAICompatibleServer({
      replies: (req) => {
        if (isSub(req)) return { text: 'ok', delayMs: 5 }
        return turns(req) === 0
          ? js(
              'const r = await llm_query_batched(Array.from({ length: 1000 }, (_, i) => "p" + i))\nprint(r.filter(x => !is_error(x)).length)',
            )
          : 'The answer is 50.'
      },
    })
    const r = await createRlm({ model: modelFor(server), concurrency: 16, budget: { maxSubCalls: 50 } }).run({
      query: 'q',
      context: 'c',
    })
    expect(server.requests.filter(isSub).length).toBeLessThanOrEqual(50)
    expect(r).toMatchObject({ status: 'budget_exhausted', budget: 'maxSubCalls' })
    expect(r.subCalls).toBeLessThanOrEqual(50)
  })

  it('maxCostUsd with a priced model: the spend stays within the budget although calls run in parallel', async () => {
    await using server = await createOpenAICompatibleServer({
      replies: (req) => {
        if (isSub(req)) return { text: 'x'.repeat(400), delayMs: 30 }
        return turns(req) === 0
          ? js(
              'const r = await llm_query_batched(Array.from({ length: 200 }, (_, i) => "summarize part " + i))\nprint(r.length)',
            )
          : 'partial answer'
      },
    })
    const price = { inputPerMillion: 100, outputPerMillion: 200 }
    const maxCostUsd = 0.5
    const r = await createRlm({
      model: modelFor(server, 'priced', { price }),
      concurrency: 32,
      maxOutputTokens: 200,
      subMaxOutputTokens: 100,
      budget: { maxCostUsd },
    }).run({ query: 'q', context: 'c' })
    expect(r).toMatchObject({ status: 'budget_exhausted', budget: 'maxCostUsd' })
    // every call was reserved at its worst case before it started: no overshoot at all here
    expect(r.usage.costUsd).toBeLessThanOrEqual(maxCostUsd)
    expect(r.usage.costUsd).toBeGreaterThan(maxCostUsd / 4)
    const marker = r.tree.subCalls.find((s) => s.error?.code === 'E_BUDGET')
    expect(marker?.answer).toMatch(/^\[llm_query error E_BUDGET/)
  })

  it('maxCostUsd with a model that has no price is E_CONFIG naming the model', async () => {
    await using server = await createOpenAICompatibleServer()
    const rlm = createRlm({ model: modelFor(server, 'unpriced-model'), budget: { maxCostUsd: 1 } })
    await expect(rlm.run({ query: 'q', context: 'c' })).rejects.toMatchObject({
      code: 'E_CONFIG',
      message: expect.stringContaining('unpriced-model'),
    })
    expect(server.requests).toHaveLength(0)
  })
})

describe('sub-call prompts are checked against the window before sending', () => {
  it('an oversized prompt never reaches the server; its slot names both sizes', async () => {
    await using server = await createOpenAICompatibleServer({
      replies: (req) => {
        if (isSub(req)) return 'small answer'
        return turns(req) === 0
          ? js(
              'const r = await llm_query_batched(["short prompt", "word ".repeat(20000)])\nprint(JSON.stringify(r))\ntry { await llm_query("word ".repeat(20000)) } catch (e) { print("threw " + e.code) }',
            )
          : js('FINAL("done")')
      },
    })
    const events: RlmEvent[] = []
    const r = await createRlm({
      model: modelFor(server),
      subContextWindow: 4_000,
      onEvent: (e) => events.push(e),
    }).run({
      query: 'q',
      context: 'c',
    })
    expect(r.status).toBe('final')
    expect(server.requests.filter(isSub)).toHaveLength(1)
    const output = r.tree.iterations[0]!.output
    expect(output).toMatch(
      /\[llm_query error E_CONTEXT_WINDOW: prompt has [\d,]+ tokens, the sub-model's window is 4,000/,
    )
    expect(output).toContain('threw E_CONTEXT_WINDOW')
    expect(r.subCalls).toBe(1)
  })
})

describe('the guest is told its limits', () => {
  it('every fed-back output starts with a status line that response-cache keys leave out', async () => {
    const { VOLATILE_LINE_MARK, cacheKey } = await import('@rlm/providers')
    const { STATUS_MARK } = await import('../src/status-line.ts')
    expect(STATUS_MARK).toBe(VOLATILE_LINE_MARK)
    await using server = await createOpenAICompatibleServer({
      replies: (req) => (turns(req) === 0 ? js('print("hello")') : js('FINAL("done")')),
    })
    await createRlm({
      model: modelFor(server),
      maxIterations: 7,
      budget: { maxSubCalls: 20, maxWallTimeMs: 60_000, maxTokens: 1_000_000 },
    }).run({ query: 'q', context: 'c' })
    const second = server.requests[1]!.messages.at(-1)!.content
    const status = second.split('\n').find((l) => l.startsWith(STATUS_MARK))!
    expect(status).toMatch(/turn 2 of 7/)
    expect(status).toMatch(/next cell may run/)
    expect(status).toMatch(/run time left/)
    expect(status).toMatch(/sub-calls left 20/)
    expect(status).toMatch(/tokens left [\d,]+/)
    const model = { provider: 'p', modelId: 'm' }
    const msg = (s: string) => ({
      messages: [{ role: 'user' as const, content: `${s}\nREPL output: hello` }],
    })
    expect(cacheKey(model, msg(`${STATUS_MARK} turn 2 · run time left 59 s`))).toBe(
      cacheKey(model, msg(`${STATUS_MARK} turn 2 · run time left 12 s`)),
    )
  })
})
