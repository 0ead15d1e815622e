import { loadContext } from '@rlm/context'
import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm } from '../src/index.ts'
import { js, lastUser } from './scripted.ts'

const TEXT = Array.from({ length: 8_000 }, (_, i) => `line ${i}: some words here`).join('\n')

describe("the implementation guide's API aliases", () => {
  it('get_context_length() is the context size in tokens; get_context_chunk(start, end) reads chunks of chunks()', async () => {
    const ctx = await loadContext({ text: TEXT })
    const model = createScripted([
      js(
        [
          'const c = chunks()',
          'let bad',
          'try { get_context_chunk(0, 99) } catch (e) { bad = e.code + ": " + e.message }',
          'FINAL({ tokens: get_context_length(), n: c.length, one: get_context_chunk(1) === context.slice(c[1].start, c[1].end), two: get_context_chunk(0, 2) === context.slice(c[0].start, c[1].end), bad })',
        ].join('\n'),
      ),
    ])
    const r = await createRlm({ model }).run({ query: 'q', context: ctx })
    const out = JSON.parse(r.answer) as { tokens: number; n: number; one: boolean; two: boolean; bad: string }
    expect(out.tokens).toBe(ctx.estimateTokens())
    expect(out.n).toBe(ctx.chunk().length)
    expect(out.n).toBeGreaterThan(1)
    expect([out.one, out.two]).toEqual([true, true])
    expect(out.bad).toMatch(
      /^E_ARGUMENT: get_context_chunk\(start, end\): need chunk indices 0 <= start < end <= \d+/,
    )
  })

  it('call_submodel(chunk, query) is one sub-call over the chunk; aggregate_results merges answers in one more', async () => {
    const sub = createScripted((req) => `got ${lastUser(req).length}`)
    const model = createScripted([
      js(
        [
          'const parts = ["alpha", { start: 0, end: 4 }]',
          'const partial = [await call_submodel(parts[0], "Q?"), await call_submodel(parts[1], "Q?"), "[llm_query error E_X: failed]"]',
          'FINAL(await aggregate_results(partial, "Which?"))',
        ].join('\n'),
      ),
    ])
    const r = await createRlm({ model, subModel: sub }).run({ query: 'q', context: TEXT })
    expect(r.status).toBe('final')
    const prompts = sub.requests.map(lastUser)
    expect(prompts.slice(0, 2)).toEqual(['Q?\n\nalpha', `Q?\n\n${TEXT.slice(0, 4)}`])
    expect(prompts[2]).toMatch(/^Merge these 2 partial answers to the query "Which\?" into one answer/)
    expect(prompts[2]).toContain('[1] got 9\n\n[2] got 8')
    expect(prompts[2]).not.toContain('E_X')
    expect(r.answer).toBe(`got ${prompts[2]!.length}`)
  })
})
