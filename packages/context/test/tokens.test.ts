import { get_encoding } from 'tiktoken'
import { afterAll, describe, expect, it } from 'vitest'
import { encodingForModel, freeEncoders, loadContext } from '../src/index.ts'

afterAll(() => freeEncoders())

const sample = `${'The quick brown fox jumps over the lazy dog. 世界 😀 <|endoftext|>\nNext line here.\n'.repeat(400)}`

describe('token counting', () => {
  it('counts exactly like tiktoken o200k_base on the whole text, and caches the count', async () => {
    const ctx = await loadContext({ text: sample })
    const enc = get_encoding('o200k_base')
    const expected = enc.encode_ordinary(sample).length
    enc.free()
    const first = ctx.countTokens()
    expect(await first).toBe(expected)
    expect(ctx.countTokens()).toBe(first)
  })

  it('gives the same exact count when split across worker threads', async () => {
    const ctx = await loadContext({
      documents: [
        { name: 'a', text: sample.repeat(8) },
        { name: 'b', text: sample },
      ],
    })
    const single = await ctx.countTokens({ encoding: 'cl100k_base', workers: 1 })
    const fresh = await loadContext({
      documents: [
        { name: 'a', text: sample.repeat(8) },
        { name: 'b', text: sample },
      ],
    })
    expect(await fresh.countTokens({ encoding: 'cl100k_base', workers: 2 })).toBe(single)
  })

  it('estimates instantly within 25% of the exact count for English and CJK', async () => {
    for (const text of [sample, '漢字かなカナ混じりの文章です。'.repeat(500)]) {
      const ctx = await loadContext({ text })
      const exact = await ctx.countTokens()
      expect(Math.abs(ctx.estimateTokens() - exact) / exact).toBeLessThan(0.25)
    }
  })

  it('picks the encoding by model family', () => {
    expect(encodingForModel('gpt-4o-mini')).toBe('o200k_base')
    expect(encodingForModel('gpt-4-turbo')).toBe('cl100k_base')
    expect(encodingForModel('claude-sonnet-4')).toBe('o200k_base')
    expect(encodingForModel(undefined)).toBe('o200k_base')
  })
})
