import { describe, expect, it } from 'vitest'
import { truncateOutput } from './output-truncation.ts'

describe('truncateOutput', () => {
  it('leaves output within the limit untouched', () => {
    expect(truncateOutput('hello', 20)).toBe('hello')
  })

  it('keeps the start and the end and names the total length', () => {
    const out = 'A'.repeat(30_000) + 'END'
    const t = truncateOutput(out)
    expect(t.startsWith('A'.repeat(15_000))).toBe(true)
    expect(t.endsWith('END')).toBe(true)
    expect(t).toContain('showing 20,000 of 30,003 characters')
    expect(t.length).toBeLessThan(20_200)
  })
})
