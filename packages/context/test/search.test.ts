import { describe, expect, it } from 'vitest'
import { loadContext } from '../src/index.ts'

const text = ['first line has Error 42', 'second: 世界 error 😀 end', 'third ERROR here', 'last'].join('\n')

describe('search', () => {
  it('finds regex hits with UTF-16 offsets, 1-based lines, snippets and the document', async () => {
    const ctx = await loadContext({ text })
    const hits = ctx.search('error \\S+', { ignoreCase: true })
    expect(hits.map((h) => [h.text, h.line, h.document])).toEqual([
      ['Error 42', 1, 'text'],
      ['error 😀', 2, 'text'],
      ['ERROR here', 3, 'text'],
    ])
    for (const h of hits) {
      expect(ctx.slice(h.index, h.index + h.text.length)).toBe(h.text)
      expect(text.slice(h.index, h.end)).toBe(h.text)
    }
    expect(hits[1]?.snippet).toBe('second: 世界 error 😀 end')
  })

  it('matches literally with literal: true, case-sensitive or not', async () => {
    const ctx = await loadContext({ text: 'a.b a+b A.B 世界.界' })
    expect(ctx.search('a.b', { literal: true }).map((h) => h.index)).toEqual([0])
    expect(ctx.search('a.b', { literal: true, ignoreCase: true }).map((h) => h.index)).toEqual([0, 8])
    expect(ctx.search('a.b').map((h) => h.text)).toEqual(['a.b', 'a+b'])
    expect(ctx.search('界.界', { literal: true }).map((h) => [h.index, h.text])).toEqual([[13, '界.界']])
  })

  it('accepts a RegExp, using its source and flags', async () => {
    const ctx = await loadContext({ text })
    expect(ctx.search(/^THIRD (?<w>\w+)/im).map((h) => h.text)).toEqual(['third ERROR'])
  })

  it('treats ^ and $ as line anchors by default and document edges with multiline: false', async () => {
    const ctx = await loadContext({ text })
    expect(ctx.search('^\\w+$').map((h) => h.text)).toEqual(['last'])
    expect(ctx.search('^first', { multiline: false }).length).toBe(1)
    expect(ctx.search('^second', { multiline: false }).length).toBe(0)
  })

  it('finds matches spanning lines and reports the start line', async () => {
    const ctx = await loadContext({ text })
    const [hit] = ctx.search('42\\nsecond')
    expect(hit).toMatchObject({ text: '42\nsecond', line: 1 })
  })

  it('never reports a match across two documents, and names each hit’s document', async () => {
    const ctx = await loadContext({
      documents: [
        { name: 'a', text: 'ends with foo' },
        { name: 'b', text: 'bar starts; foo again' },
      ],
    })
    expect(ctx.search('foo\\s*bar')).toEqual([])
    expect(ctx.search('foo').map((h) => [h.document, h.line])).toEqual([
      ['a', 1],
      ['b', 2],
    ])
    expect(ctx.search('foo', { document: 'b' }).map((h) => h.document)).toEqual(['b'])
  })

  it('respects the limit', async () => {
    const ctx = await loadContext({ text: 'ab '.repeat(1000) })
    expect(ctx.search('ab', { limit: 7 })).toHaveLength(7)
    expect(ctx.search('ab', { limit: 5, literal: true })).toHaveLength(5)
  })

  it('finds hits across the block boundaries of a long text', async () => {
    const line = `${'lorem ipsum 世界 '.repeat(5)}\n`
    const big = line.repeat(40_000) + 'needle-7 at the end'
    const ctx = await loadContext({ text: big })
    const hits = ctx.search('needle-\\d')
    expect(hits).toHaveLength(1)
    expect(hits[0]?.index).toBe(big.indexOf('needle-7'))
    expect(hits[0]?.line).toBe(40_001)
    expect(ctx.search('世界 \\n', { limit: 100_000 })).toHaveLength(40_000)
  })

  it('finds a case-insensitive literal across its decode windows as a JS regexp on the whole text does', async () => {
    const line = 'lorem 世界 Needle straße NEEDLE-x 😀 kelvin \u212Aelvin nEEdlE\n'
    const big = line.repeat(20_000)
    const ctx = await loadContext({ text: big })
    for (const literal of ['needle', 'kelvin', 'STRASSE', 'straße', '世界 n', 'x 😀 K']) {
      const escaped = literal.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')
      const expected = [...big.matchAll(new RegExp(escaped, 'giu'))].map((m) => m.index)
      const hits = ctx.search(literal, { literal: true, ignoreCase: true, limit: 1_000_000 })
      expect(
        hits.map((h) => h.index),
        literal,
      ).toEqual(expected)
    }
    // A literal whose overlap (3 bytes a character) is more than a quarter of a window.
    const long = `${'x'.repeat(8_000)}End`
    const longText = `${long}\n${'y'.repeat(70_000)}${long.toUpperCase()}\n`
    const longCtx = await loadContext({ text: longText })
    expect(longCtx.search(long, { literal: true, ignoreCase: true }).map((h) => h.index)).toEqual([0, 78_004])
  })

  it('finishes catastrophic (ReDoS) patterns in linear time', async () => {
    const ctx = await loadContext({ text: `${'a'.repeat(100_000)}!` })
    const t0 = performance.now()
    expect(ctx.search('(a+)+$')).toEqual([])
    expect(ctx.search('(a|aa)*b')).toEqual([])
    expect(ctx.search('(.*a){20}b')).toEqual([])
    expect(performance.now() - t0).toBeLessThan(5000)
  })

  it('rejects lookaround and backreferences with E_BAD_PATTERN saying what to do', async () => {
    const ctx = await loadContext({ text })
    for (const p of ['foo(?=bar)', '(?<!x)y', '(a)\\1', /(?<=a)b/]) {
      expect(() => ctx.search(p)).toThrow(
        expect.objectContaining({ code: 'E_BAD_PATTERN', message: expect.stringMatching(/instead|filter/) }),
      )
    }
    expect(() => ctx.search('a(b')).toThrow(expect.objectContaining({ code: 'E_BAD_PATTERN' }))
    expect(() => ctx.search('', { literal: true })).toThrow(
      expect.objectContaining({ code: 'E_BAD_PATTERN' }),
    )
    expect(() => ctx.search('x', { limit: -1 })).toThrow(expect.objectContaining({ code: 'E_CONTEXT_INPUT' }))
  })
})
