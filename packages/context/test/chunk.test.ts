import { describe, expect, it } from 'vitest'
import { type Chunk, type Context, loadContext } from '../src/index.ts'

const multi = `${'Hello 世界! 😀😀 emoji and CJK 漢字かな. '.repeat(30)}\nline\n`

function expectRoundTrip(ctx: Context, chunks: Chunk[]): void {
  for (const c of chunks) {
    expect(c.text).toBe(ctx.slice(c.start, c.end))
    // Never split a surrogate pair.
    expect(c.text.isWellFormed()).toBe(true)
  }
  expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i))
}

describe('chunk', () => {
  it('fixed: size chars with overlap, covering the text and round-tripping through slice', async () => {
    const ctx = await loadContext({ text: multi })
    const chunks = ctx.chunk({ strategy: 'fixed', size: 37, overlap: 5 })
    expectRoundTrip(ctx, chunks)
    expect(chunks[0]?.start).toBe(0)
    expect(chunks.at(-1)?.end).toBe(ctx.length)
    for (let i = 1; i < chunks.length; i++) {
      const prev = chunks[i - 1] as Chunk
      const cur = chunks[i] as Chunk
      expect(cur.start).toBeLessThanOrEqual(prev.end)
      expect(prev.end - cur.start).toBeGreaterThanOrEqual(4)
      expect(cur.end - cur.start).toBeLessThanOrEqual(38)
    }
    expect(chunks.every((c) => c.tokensExact === false && c.tokens > 0)).toBe(true)
  })

  it('tokens: windows of exactly size tokens (flagged exact) with overlap', async () => {
    const ctx = await loadContext({ text: multi })
    const chunks = ctx.chunk({ strategy: 'tokens', size: 50, overlap: 10 })
    expectRoundTrip(ctx, chunks)
    expect(chunks.slice(0, -1).every((c) => c.tokens === 50 && c.tokensExact)).toBe(true)
    expect(chunks.at(-1)?.end).toBe(ctx.length)
    const exact = ctx.chunk({ strategy: 'fixed', size: 200, exactTokens: true })
    expect(exact.every((c) => c.tokensExact)).toBe(true)
  })

  it('paragraph: packs whole paragraphs, breaks before headings, splits only an oversized paragraph', async () => {
    const doc = [
      '# Title',
      'para one is short.',
      'para two is also short.',
      '## Section',
      'x'.repeat(120),
      'tail',
    ].join('\n\n')
    const ctx = await loadContext({ text: doc })
    const chunks = ctx.chunk({ strategy: 'paragraph', size: 60 })
    expectRoundTrip(ctx, chunks)
    expect(chunks.map((c) => c.text)).toEqual([
      '# Title\n\npara one is short.\n\npara two is also short.',
      '## Section',
      'x'.repeat(60),
      'x'.repeat(60),
      'tail',
    ])
  })

  it('lines: size lines per chunk with overlap lines', async () => {
    const text = Array.from({ length: 10 }, (_, i) => `line ${i + 1} 世界`).join('\n')
    const ctx = await loadContext({ text })
    const chunks = ctx.chunk({ strategy: 'lines', size: 4, overlap: 1 })
    expectRoundTrip(ctx, chunks)
    expect(chunks.map((c) => c.text.trimEnd().split('\n').length)).toEqual([4, 4, 4])
    expect(chunks[1]?.text.startsWith('line 4 ')).toBe(true)
    expect(chunks.at(-1)?.text.endsWith('line 10 世界')).toBe(true)
  })

  it('document: one chunk per document; no strategy crosses documents', async () => {
    const ctx = await loadContext({
      documents: [
        { name: 'a', text: 'aaaa aaaa aaaa' },
        { name: 'b', text: 'bbbb 😀 bbbb' },
      ],
    })
    expect(ctx.chunk({ strategy: 'document' }).map((c) => [c.document, c.text])).toEqual([
      ['a', 'aaaa aaaa aaaa'],
      ['b', 'bbbb 😀 bbbb'],
    ])
    for (const strategy of ['fixed', 'tokens', 'paragraph', 'lines'] as const) {
      const chunks = ctx.chunk({ strategy, size: 6 })
      expectRoundTrip(ctx, chunks)
      for (const c of chunks) {
        const d = ctx.documents.find((x) => x.name === c.document)
        expect(c.start >= (d?.start ?? -1) && c.end <= (d?.end ?? -1)).toBe(true)
      }
    }
  })

  it('rejects an overlap not smaller than size and unknown options', async () => {
    const ctx = await loadContext({ text: multi })
    expect(() => ctx.chunk({ strategy: 'fixed', size: 10, overlap: 10 })).toThrow(
      expect.objectContaining({ code: 'E_CONTEXT_INPUT' }),
    )
    expect(() => ctx.chunk({ strategy: 'sentences' as never })).toThrow(
      expect.objectContaining({ code: 'E_CONTEXT_INPUT' }),
    )
  })
})
