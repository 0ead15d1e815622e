import { describe, expect, it } from 'vitest'
import { preview } from './string-preview.ts'

describe('preview', () => {
  it('returns short text unchanged and cuts long text to its first characters', () => {
    expect(preview('short', 10)).toBe('short')
    expect(preview('abcdefghijklmnop', 4)).toBe('abcd')
  })

  it('never splits a surrogate pair', () => {
    expect(preview(`abc${'😀'}def`, 4)).toBe('abc')
    expect(preview(`ab${'😀'}def`, 4)).toBe(`ab${'😀'}`)
  })
})
