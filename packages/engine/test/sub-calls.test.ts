import { RlmError } from '@rlm/errors'
import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm, type RlmEvent } from '../src/index.ts'
import { js, lastUser } from './scripted.ts'

describe('sub-calls (single level)', () => {
  it('sends llm_query prompts unchanged as the user message and accounts every token', async () => {
    const sub = createScripted((req) => ({
      text: `len=${lastUser(req).length}`,
      usage: { inputTokens: 10, outputTokens: 2 },
      costUsd: 0.001,
    }))
    const model = createScripted([
      {
        text: js('const a = await llm_query("Summarize: " + context)\nprint(a)'),
        usage: { inputTokens: 100, outputTokens: 20 },
        costUsd: 0.01,
      },
      {
        text: js('const many = await llm_query_batched(["x", "yy", "zzz"])\nFINAL([a, ...many])'),
        usage: { inputTokens: 100, outputTokens: 20 },
        costUsd: 0.01,
      },
    ])
    const rlm = createRlm({ model, subModel: sub })
    const r = await rlm.run({ query: 'q', context: 'hello world' })
    expect(r.status).toBe('final')
    expect(JSON.parse(r.answer)).toEqual(['len=22', 'len=1', 'len=2', 'len=3'])
    expect(sub.requests[0]!.messages).toEqual([{ role: 'user', content: 'Summarize: hello world' }])
    expect(r.subCalls).toBe(4)
    expect(r.tree.subCalls.map((s) => s.prompt)).toEqual(['Summarize: hello world', 'x', 'yy', 'zzz'])
    expect(r.usage).toMatchObject({ inputTokens: 240, outputTokens: 48, calls: 6 })
    expect(r.usage.costUsd).toBeCloseTo(0.024, 6)
  })

  it('keeps bounded previews of long prompts and answers in the tree, the guest getting them whole', async () => {
    const sub = createScripted((req) => `A${'b'.repeat(4_999)}:${lastUser(req).length}`)
    const model = createScripted([
      js(
        'const r = await llm_query_batched(["P" + "q".repeat(9_999), "short"])\nFINAL(r.map((s) => s.length))',
      ),
    ])
    const r = await createRlm({ model, subModel: sub, concurrency: 1 }).run({ query: 'q', context: 'c' })
    expect(JSON.parse(r.answer)).toEqual([5_006, 5_002])
    const [long, short] = r.tree.subCalls
    expect(long).toMatchObject({ promptChars: 10_000, answerChars: 5_006 })
    expect(long!.prompt).toBe(`P${'q'.repeat(1_999)}`)
    expect(long!.answer).toBe(`A${'b'.repeat(1_999)}`)
    expect(long!.promptHash).toMatch(/^[0-9a-f]{40}$/)
    expect(short).toMatchObject({ prompt: 'short', promptChars: 5, answerChars: 5_002 })
  })

  it('leaves an error marker in the slot of a failed prompt and keeps the rest of the batch', async () => {
    const sub = createScripted((req) => {
      if (lastUser(req) === 'bad') throw new RlmError('E_PROVIDER_UNAVAILABLE', 'server down')
      return `ok:${lastUser(req)}`
    })
    const model = createScripted([
      js(
        'const out = await llm_query_batched(["a", "bad", "c"])\nprint(JSON.stringify(out))\nprint(out.map(is_error))',
      ),
      js('FINAL(out.filter(x => !is_error(x)).join(","))'),
    ])
    const events: RlmEvent[] = []
    const r = await createRlm({ model, subModel: sub, onEvent: (e) => events.push(e) }).run({
      query: 'q',
      context: 'c',
    })
    expect(r.answer).toBe('ok:a,ok:c')
    const out = r.tree.iterations[0]!.output
    expect(out).toContain('[llm_query error E_PROVIDER_UNAVAILABLE')
    expect(out).toContain('false,true,false')
    const failed = events.find((e) => e.type === 'subcall_end' && e.error)
    expect(failed).toMatchObject({ error: { code: 'E_PROVIDER_UNAVAILABLE' } })
  })

  it('a single failing llm_query rejects in the guest, where code can catch it', async () => {
    const sub = createScripted([new RlmError('E_PROVIDER_TIMEOUT', 'too slow')])
    const model = createScripted([
      js('try { await llm_query("x") } catch (e) { print("caught", e.message) }'),
      js('FINAL("done")'),
    ])
    const r = await createRlm({ model, subModel: sub }).run({ query: 'q', context: 'c' })
    expect(r.tree.iterations[0]!.output).toMatch(/caught .*too slow/)
    expect(r.answer).toBe('done')
  })

  it('runs a batch through one shared limiter: never more calls in flight than `concurrency`', async () => {
    let live = 0
    let peak = 0
    const sub = createScripted(async (req) => {
      live++
      peak = Math.max(peak, live)
      await new Promise((r) => setTimeout(r, 5))
      live--
      return lastUser(req).toUpperCase()
    })
    const model = createScripted([
      js(
        'const r = await llm_query_batched(Array.from({ length: 40 }, (_, i) => "p" + i))\nFINAL(r.length + " " + r[39])',
      ),
    ])
    const r = await createRlm({ model, subModel: sub, concurrency: 4 }).run({ query: 'q', context: 'c' })
    expect(r.answer).toBe('40 P39')
    expect(peak).toBe(4)
  })
})
