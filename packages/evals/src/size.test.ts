import { isRlmError } from '@rlm/errors'
import { describe, expect, it } from 'vitest'
import { formatSize, parseSize, parseSizes } from './size.ts'

describe('sizes', () => {
  it('parses decimal k and m multipliers of tokens', () => {
    expect(parseSizes('8k,128k,1m,10m,100m')).toEqual([8000, 128_000, 1_000_000, 10_000_000, 100_000_000])
    expect(parseSize('1.5M')).toBe(1_500_000)
    expect(parseSize(' 4000 ')).toBe(4000)
  })

  it('drops duplicates and blanks, keeping order', () => {
    expect(parseSizes('128k, 8k,,8000')).toEqual([128_000, 8000])
  })

  it('formats sizes back into labels', () => {
    expect([8000, 128_000, 1_000_000, 1_500_000, 100_000_000, 1234].map(formatSize)).toEqual([
      '8k',
      '128k',
      '1m',
      '1.5m',
      '100m',
      '1234',
    ])
  })

  it('rejects malformed and out-of-range sizes with E_CONFIG and a hint', () => {
    for (const bad of ['8kb', 'big', '-1k', '10', '1b', '']) {
      let caught: unknown
      try {
        parseSizes(bad)
      } catch (error) {
        caught = error
      }
      expect(isRlmError(caught), bad).toBe(true)
      expect((caught as { code: string }).code).toBe('E_CONFIG')
      expect((caught as Error).message).toMatch(/8k|sizes/)
    }
  })
})
