import { describe, expect, it } from 'vitest'
import { type Context, loadContext, type SearchOptions } from '../src/index.ts'

const MAX = Number.MAX_SAFE_INTEGER

describe('result budgets of a context used alone', () => {
  it('a search with an unbounded limit stops with E_LIMIT at maxResultChars, not at the heap', async () => {
    const ctx = await loadContext({ text: 'x'.repeat(40_000) })
    const err = (() => {
      try {
        ctx.search('.', { limit: MAX, maxResultChars: 1_000_000 })
      } catch (e) {
        return e
      }
    })()
    expect(err).toMatchObject({
      code: 'E_LIMIT',
      details: { limit: 'maxResultChars', maxResultChars: 1_000_000 },
    })
    expect((err as Error).message).toContain('{ from: lastHit.end }')
    // Within the budget the same search returns every hit.
    expect(ctx.search('.', { limit: MAX, maxResultChars: 20_000_000 })).toHaveLength(40_000)
  })

  it('counts one huge match against the budget before decoding it', async () => {
    const ctx = await loadContext({ text: `${'a'.repeat(2_000_000)}\nb` })
    expect(() => ctx.search('a+', { maxResultChars: 1_000_000 })).toThrow(
      expect.objectContaining({ code: 'E_LIMIT' }),
    )
    expect(() => ctx.search('a', { literal: true, limit: MAX, maxResultChars: 1_000_000 })).toThrow(
      expect.objectContaining({ code: 'E_LIMIT' }),
    )
  })

  it('chunks({ size: 1 }) over many characters is refused with the size that would fit', async () => {
    const ctx = await loadContext({ text: 'word '.repeat(60_000) })
    const err = (() => {
      try {
        ctx.chunk({ size: 1 })
      } catch (e) {
        return e
      }
    })()
    expect(err).toMatchObject({
      code: 'E_LIMIT',
      details: { limit: 'maxChunks', maxChunks: 100_000, suggestedSize: 3 },
    })
    expect((err as Error).message).toContain('at least about 3 characters')
    expect(ctx.chunk({ size: 3 }).length).toBe(100_000)
  })

  it.each([
    ['fixed', 100],
    ['lines', 1],
    ['paragraph', 20],
    ['tokens', 2],
  ] as const)(
    '%s chunks past maxChunks end in E_LIMIT, exactly maxChunks are fine',
    async (strategy, size) => {
      const ctx = await loadContext({ text: 'some words here\n\n'.repeat(500) })
      const all = ctx.chunk({ strategy, size })
      expect(all.length).toBeGreaterThan(10)
      expect(ctx.chunk({ strategy, size, maxChunks: all.length })).toHaveLength(all.length)
      expect(() => ctx.chunk({ strategy, size, maxChunks: all.length - 1 })).toThrow(
        expect.objectContaining({ code: 'E_LIMIT' }),
      )
    },
  )

  it('counts maxChunks over all documents', async () => {
    const ctx = await loadContext({
      documents: Array.from({ length: 20 }, (_, i) => ({ name: `d${i}`, text: 'abc def ghi' })),
    })
    expect(ctx.chunk({ strategy: 'document' })).toHaveLength(20)
    expect(() => ctx.chunk({ strategy: 'document', maxChunks: 19 })).toThrow(
      expect.objectContaining({ code: 'E_LIMIT' }),
    )
  })
})

describe('search paging with { from }', () => {
  const docs = [
    { name: 'a', text: 'alpha 1 beta 22\nGamma 333 delta\nx\ny\n' },
    { name: 'b', text: 'beta 4444 alpha\n\nALPHA 5 x\ny 😀 alpha 6' },
    { name: 'c', text: 'last alpha 7' },
  ]

  async function pages(ctx: Context, pattern: string, options: SearchOptions): Promise<unknown[]> {
    const out: unknown[] = []
    let from = 0
    for (;;) {
      const page = ctx.search(pattern, { ...options, limit: 2, from })
      out.push(...page)
      if (page.length < 2) return out
      const last = page.at(-1)!
      from = last.end > last.index ? last.end : last.end + 1
    }
  }

  it.each([
    ['literal', 'alpha', { literal: true }],
    ['folded literal', 'alpha', { literal: true, ignoreCase: true }],
    ['line-local regex with a literal', 'alpha \\d+', {}],
    ['line-local regex without a literal', '\\d+', {}],
    ['case-folded regex', 'a[a-z]+a', { ignoreCase: true }],
    ['regex spanning lines', '\\w\\n\\w', {}],
    ['anchored at document edges', '^\\w+', { multiline: false }],
    ['dotAll', '(?s)a.{3}', {}],
  ] as const)('pages through every hit of a %s exactly once', async (_kind, pattern, options) => {
    const ctx = await loadContext({ documents: docs })
    const all = ctx.search(pattern, { ...options, limit: 1000 })
    expect(all.length).toBeGreaterThan(2)
    expect(await pages(ctx, pattern, options)).toEqual(all)
  })

  it('skips hits that start before from, in the middle of a line too', async () => {
    const ctx = await loadContext({ text: 'foo foo foo\nfoo' })
    expect(ctx.search('foo', { from: 5 }).map((h) => h.index)).toEqual([8, 12])
    expect(ctx.search('f\\w+', { from: 5 }).map((h) => h.index)).toEqual([8, 12])
    expect(ctx.search('foo', { from: 100 })).toEqual([])
  })
})
