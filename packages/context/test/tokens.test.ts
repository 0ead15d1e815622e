import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
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

describe('tiktoken loading', () => {
  it('is loaded by the first exact count, not by loading, describing, searching or chunking by size', async () => {
    const src = JSON.stringify(fileURLToPath(new URL('../src/index.ts', import.meta.url)))
    // A fresh process: the check is whether tiktoken is in the module cache at each step.
    const script = `
      import { createRequire } from 'node:module'
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('tiktoken'))
      const { loadContext } = await import(${src})
      const ctx = await loadContext({ text: 'Alpha beta gamma.\\n'.repeat(2000) })
      ctx.describe()
      ctx.search('beta', { limit: 2 })
      ctx.chunk({ strategy: 'fixed', size: 1000 })
      await ctx.chunkAsync({ strategy: 'lines', size: 100 })
      const before = loaded()
      const tokens = await ctx.countTokens({ workers: 1 })
      console.log(JSON.stringify({ before, after: loaded(), tokens }))
      process.exit(0)`
    const file = join(mkdtempSync(join(tmpdir(), 'rlm-context-')), 'lazy-tiktoken.mjs')
    writeFileSync(file, script)
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=@rlm/source', file], {
      timeout: 30_000,
    })
    const out = JSON.parse(stdout.trim()) as { before: boolean; after: boolean; tokens: number }
    expect(out).toMatchObject({ before: false, after: true })
    expect(out.tokens).toBeGreaterThan(2000)
  })
})
