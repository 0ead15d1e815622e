import { describe, expect, it } from 'vitest'
import { type AccessEvent, loadContext } from '../src/index.ts'

describe('access log', () => {
  it('records every slice, lines, search, chunk and chunk read with range, result count and time', async () => {
    const ctx = await loadContext({ text: 'one\ntwo\nthree\nfour' })
    const seen: AccessEvent[] = []
    const off = ctx.onAccess((e) => seen.push(e))
    ctx.slice(4, 7)
    expect(ctx.lines(2, 3)).toBe('two\nthree')
    ctx.search('t\\w+')
    const chunks = ctx.chunk({ strategy: 'lines', size: 2 })
    void chunks[1]?.text
    off()
    ctx.slice(0, 1)
    expect(seen.map((e) => [e.kind, e.start, e.end, e.results])).toEqual([
      ['slice', 4, 7, 3],
      ['lines', 4, 13, 9],
      ['search', 0, 18, 2],
      ['chunk', 0, 18, 2],
      ['read-chunk', 8, 18, 10],
    ])
    expect(seen[2]?.detail).toBe('t\\w+')
    expect(seen.every((e) => e.ms >= 0 && e.at > 0)).toBe(true)
    expect(ctx.accessLog).toHaveLength(6)
  })

  it('lines() is 1-based and inclusive, and lineOf maps offsets back', async () => {
    const ctx = await loadContext({ text: 'a\nb\nc\n' })
    expect(ctx.lineCount).toBe(3)
    expect(ctx.lines(1)).toBe('a')
    expect(ctx.lines(2, 99)).toBe('b\nc\n')
    expect(ctx.lines(5, 6)).toBe('')
    expect(ctx.lineOf(2)).toBe(2)
  })
})
