import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { RlmError } from '@rlm/errors'
import { describe, expect, it } from 'vitest'
import { taskStats } from '../src/context-tasks.ts'
import { loadContext } from '../src/index.ts'

const text = ['first line has Error 42', 'second: 世界 error 😀 end', 'third ERROR here', 'last'].join('\n')

/** A pattern re2js needs seconds for on a few hundred KB: the attack from issue 12, scaled down. */
const SLOW = '[\\s\\S]{1,1000}[0-9]'

describe('searchAsync and chunkAsync (worker threads)', () => {
  it('return the same hits and chunks as search and chunk', async () => {
    const ctx = await loadContext({
      documents: [
        { name: 'a', text: text.repeat(50) },
        { name: 'b', text },
      ],
    })
    for (const [pattern, options] of [
      ['error \\S+', { ignoreCase: true }],
      ['Error', { literal: true }],
      ['error', { literal: true, ignoreCase: true, from: 40 }],
      [/^THIRD (\w+)/im, {}],
      ['(?s)42.sec', { document: 'b' }],
    ] as const) {
      expect(await ctx.searchAsync(pattern, options)).toEqual(ctx.search(pattern, options))
    }
    for (const options of [
      { strategy: 'fixed', size: 50, overlap: 5 },
      { strategy: 'tokens', size: 20 },
    ] as const) {
      const chunks = await ctx.chunkAsync(options)
      expect(chunks).toEqual(ctx.chunk(options))
      expect(chunks[1]?.text).toBe(ctx.slice(chunks[1]!.start, chunks[1]!.end))
    }
  })

  it('execRegExpAsync gives what execRegExp gives, and its limits', async () => {
    const ctx = await loadContext({ text: text.repeat(20) })
    for (const [re, options] of [
      [/(?<w>e\w+)r/gi, {}],
      [/^(\w+) line/m, { from: 30 }],
      [/x*/g, { limit: 5 }],
    ] as const) {
      expect(await ctx.execRegExpAsync(re, options)).toEqual(ctx.execRegExp(re, options))
    }
    await expect(ctx.execRegExpAsync(/./g, { maxMatches: 10 })).rejects.toMatchObject({ code: 'E_LIMIT' })
  })

  it('reject with the same codes as the synchronous calls', async () => {
    const ctx = await loadContext({ text: 'x'.repeat(50_000) })
    await expect(ctx.searchAsync('(?=x)')).rejects.toMatchObject({ code: 'E_BAD_PATTERN' })
    await expect(ctx.searchAsync('x', { limit: 0 })).rejects.toMatchObject({ code: 'E_CONTEXT_INPUT' })
    await expect(ctx.searchAsync(42 as unknown as string)).rejects.toMatchObject({ code: 'E_BAD_PATTERN' })
    await expect(
      ctx.searchAsync('.', { limit: Number.MAX_SAFE_INTEGER, maxResultChars: 100_000 }),
    ).rejects.toMatchObject({ code: 'E_LIMIT', details: { limit: 'maxResultChars' } })
    await expect(ctx.chunkAsync({ size: 1, maxChunks: 1000 })).rejects.toMatchObject({
      code: 'E_LIMIT',
      details: { limit: 'maxChunks' },
    })
  })

  it('keep the event loop turning during a slow search, and a signal stops it at once', async () => {
    const ctx = await loadContext({ text: 'abcdefghij klmnop\n'.repeat(20_000) })
    const startedBefore = taskStats.started
    const ticks: number[] = []
    const timer = setInterval(() => ticks.push(performance.now()), 20)
    const t0 = performance.now()
    try {
      await expect(ctx.searchAsync(SLOW, { signal: AbortSignal.timeout(400) })).rejects.toMatchObject({
        code: 'E_ABORTED',
        cause: { name: 'TimeoutError' },
      })
    } finally {
      clearInterval(timer)
    }
    expect(performance.now() - t0).toBeLessThan(3_000)
    expect(ticks.length).toBeGreaterThan(5)
    const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!)
    expect(Math.max(...gaps)).toBeLessThan(1_000)
    // The stopped worker was replaced: the next search works.
    expect(await ctx.searchAsync('klm', { limit: 2 })).toHaveLength(2)
    expect(taskStats.started).toBeGreaterThan(startedBefore)
  })

  it('reject with the signal’s RlmError reason, and at once for a signal already aborted', async () => {
    const ctx = await loadContext({ text: 'abcdefghij klmnop\n'.repeat(20_000) })
    const controller = new AbortController()
    const pending = ctx.chunkAsync({ strategy: 'tokens', size: 1, signal: controller.signal })
    controller.abort(new RlmError('E_TIMEOUT', 'the cell ran out of time'))
    await expect(pending).rejects.toMatchObject({ code: 'E_TIMEOUT' })
    await expect(ctx.searchAsync('a', { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'E_ABORTED',
    })
  })

  it('lets an idle worker go once the context it searched is garbage, and keeps one serving a live context', async () => {
    const src = (f: string): string => JSON.stringify(fileURLToPath(new URL(`../src/${f}`, import.meta.url)))
    // A fresh process with gc(): the finalizer that retires workers runs only after a real collection.
    const script = `
      const { loadContext } = await import(${src('index.ts')})
      const { taskStats } = await import(${src('context-tasks.ts')})
      const kept = await loadContext({ text: 'kept context '.repeat(1000) })
      let dropped = await loadContext({ text: 'dropped context '.repeat(1000) })
      // Both searches at once: two workers, one per context, both idle afterwards.
      await Promise.all([kept.searchAsync('kept', { limit: 1 }), dropped.searchAsync('dropped', { limit: 1 })])
      dropped = undefined
      for (let i = 0; i < 50 && taskStats.retired === 0; i++) {
        globalThis.gc()
        await new Promise((r) => setTimeout(r, 20))
      }
      const retiredAfterDrop = taskStats.retired
      const hits = await kept.searchAsync('kept', { limit: 1 })
      console.log(JSON.stringify({ retiredAfterDrop, started: taskStats.started, hits: hits.length }))
      process.exit(0)`
    const file = join(mkdtempSync(join(tmpdir(), 'rlm-context-')), 'retire.mjs')
    writeFileSync(file, script)
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--conditions=@rlm/source', file],
      { timeout: 30_000 },
    )
    const out = JSON.parse(stdout.trim()) as { retiredAfterDrop: number; started: number; hits: number }
    expect(out.retiredAfterDrop).toBe(1)
    expect(out.hits).toBe(1)
    expect(out.started).toBe(2) // the live context's worker served it again: none started
  })
})
