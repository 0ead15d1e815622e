import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cacheKey, createCache, createOpenAICompatible, createScripted, withCache } from '../src/index.ts'
import { createOpenAICompatibleServer } from '../src/testing/index.ts'

const ask = (content: string, temperature?: number) => ({
  messages: [{ role: 'user' as const, content }],
  ...(temperature === undefined ? {} : { temperature }),
})

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rlm-cache-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function files(root: string): Promise<string[]> {
  const out: string[] = []
  for (const sub of await readdir(root))
    for (const f of await readdir(join(root, sub))) out.push(join(root, sub, f))
  return out
}

describe('response cache', () => {
  it('misses, then serves the same request from the cache without calling the provider', async () => {
    await using server = await createOpenAICompatibleServer({
      replies: () => ({ text: 'fresh', usage: { inputTokens: 5, outputTokens: 1 } }),
    })
    const cache = createCache()
    const model = withCache(createOpenAICompatible({ baseURL: server.baseURL, model: 'm' }), { cache })
    const first = await model.generate(ask('q', 0))
    const second = await model.generate(ask('q', 0))
    expect(first.cached).toBeUndefined()
    expect(second).toMatchObject({
      text: 'fresh',
      cached: true,
      costUsd: 0,
      usage: { inputTokens: 5, outputTokens: 1 },
    })
    expect(server.requests).toHaveLength(1)
    expect(cache.stats).toMatchObject({ hits: 1, misses: 1, writes: 1 })
    await model.generate(ask('other question', 0))
    expect(server.requests).toHaveLength(2)
  })

  it('keys on provider, model and every request field that changes the answer', () => {
    const a = { provider: 'p', modelId: 'm' }
    const base = cacheKey(a, ask('x', 0))
    expect(cacheKey(a, ask('x', 0))).toBe(base)
    expect(cacheKey({ provider: 'p', modelId: 'm2' }, ask('x', 0))).not.toBe(base)
    expect(cacheKey({ provider: 'q', modelId: 'm' }, ask('x', 0))).not.toBe(base)
    expect(cacheKey(a, ask('y', 0))).not.toBe(base)
    expect(cacheKey(a, { ...ask('x', 0), maxOutputTokens: 5 })).not.toBe(base)
    expect(cacheKey(a, { ...ask('x', 0), stop: ['\n'] })).not.toBe(base)
    expect(cacheKey(a, { ...ask('x', 0), abortSignal: new AbortController().signal })).toBe(base)
  })

  it('bypasses the cache at temperature > 0 unless forced', async () => {
    const inner = createScripted((_r, i) => `answer ${i}`)
    const cache = createCache()
    const model = withCache(inner, { cache })
    expect((await model.generate(ask('q', 0.7))).text).toBe('answer 0')
    expect((await model.generate(ask('q', 0.7))).text).toBe('answer 1')
    const forced = withCache(inner, { cache, force: true })
    await forced.generate(ask('q', 0.7))
    expect((await forced.generate(ask('q', 0.7))).cached).toBe(true)
  })

  it('persists to disk: a new cache over the same directory hits', async () => {
    const inner = createScripted(['from provider'])
    await withCache(inner, { cache: createCache({ dir }) }).generate(ask('q'))
    const again = await withCache(inner, { cache: createCache({ dir }) }).generate(ask('q'))
    expect(again).toMatchObject({ text: 'from provider', cached: true })
    expect(inner.requests).toHaveLength(1)
  })

  it.skipIf(process.platform === 'win32')(
    'creates its directories 0700 and its files 0600: cached answers hold prompts and replies',
    async () => {
      const root = join(dir, 'nested', 'cache')
      await withCache(createScripted(['secret answer']), { cache: createCache({ dir: root }) }).generate(
        ask('q'),
      )
      const [file] = await files(root)
      expect(file).toBeDefined()
      for (const d of [join(dir, 'nested'), root, join(file as string, '..')])
        expect((await stat(d)).mode & 0o777, d).toBe(0o700)
      expect((await stat(file as string)).mode & 0o777).toBe(0o600)
    },
  )

  it('survives many concurrent writers of the same keys: every file is whole, no temp files left', async () => {
    const caches = Array.from({ length: 8 }, () => createCache({ dir }))
    const value = {
      text: 'x'.repeat(20_000),
      usage: { inputTokens: 1, outputTokens: 1 },
      finishReason: 'stop' as const,
      costUsd: 0,
      raw: null,
    }
    await Promise.all(caches.flatMap((c) => ['k1', 'k2', 'k3'].map((k) => c.set(`ab${k}`, value))))
    const written = await files(dir)
    expect(written.filter((f) => f.endsWith('.tmp'))).toEqual([])
    expect(written).toHaveLength(3)
    for (const f of written) expect(JSON.parse(await readFile(f, 'utf8')).text).toHaveLength(20_000)
  })

  it('treats a corrupt file as a miss', async () => {
    const cache = createCache({ dir })
    const value = {
      text: 't',
      usage: { inputTokens: 1, outputTokens: 1 },
      finishReason: 'stop' as const,
      costUsd: 0,
      raw: null,
    }
    await cache.set('cdkey', value)
    const [file] = await files(dir)
    await writeFile(file as string, '{"text": tor')
    expect(await createCache({ dir }).get('cdkey')).toBeUndefined()
  })

  it('bounds memory entries and disk bytes, dropping the oldest', async () => {
    const mem = createCache({ maxEntries: 2 })
    const v = (text: string) => ({
      text,
      usage: { inputTokens: 1, outputTokens: 1 },
      finishReason: 'stop' as const,
      costUsd: 0,
      raw: null,
    })
    await mem.set('a', v('a'))
    await mem.set('b', v('b'))
    await mem.get('a')
    await mem.set('c', v('c'))
    expect(await mem.get('b')).toBeUndefined()
    expect((await mem.get('a'))?.text).toBe('a')

    const disk = createCache({ dir, maxEntries: 1, maxDiskBytes: 5_000 })
    for (let i = 0; i < 10; i++) {
      await disk.set(`k${i}key`, v('y'.repeat(1_000)))
      await new Promise((r) => setTimeout(r, 5))
    }
    const left = await files(dir)
    expect(left.length).toBeLessThanOrEqual(4)
    expect(left.some((f) => f.includes('k9key'))).toBe(true)
    expect(left.some((f) => f.includes('k0key'))).toBe(false)
  })

  it('shares one provider call among identical calls in flight', async () => {
    const inner = createScripted(['once'], { latencyMs: 30 })
    const model = withCache(inner, { cache: createCache() })
    const results = await Promise.all([
      model.generate(ask('q')),
      model.generate(ask('q')),
      model.generate(ask('q')),
    ])
    expect(results.map((r) => r.text)).toEqual(['once', 'once', 'once'])
    expect(inner.requests).toHaveLength(1)
  })

  it('keeps a shared call going for the callers that did not abort, and stops it when all did', async () => {
    const inner = createScripted(['shared'], { latencyMs: 60 })
    const model = withCache(inner, { cache: createCache() })
    const quitter = new AbortController()
    const a = model.generate({ ...ask('q'), abortSignal: quitter.signal })
    const b = model.generate({ ...ask('q'), abortSignal: new AbortController().signal })
    setTimeout(() => quitter.abort(), 10)
    await expect(a).rejects.toMatchObject({ code: 'E_PROVIDER_ABORTED' })
    expect((await b).text).toBe('shared')

    const lone = new AbortController()
    const slow = createScripted(['never'], { latencyMs: 5_000 })
    let seen: AbortSignal | undefined
    const spy = {
      ...slow,
      generate: (r: Parameters<typeof slow.generate>[0]) => {
        seen = r.abortSignal
        return slow.generate(r)
      },
    }
    const c = withCache(spy, { cache: createCache() }).generate({
      ...ask('q'),
      abortSignal: lone.signal,
    })
    setTimeout(() => lone.abort(), 10)
    const t0 = performance.now()
    await expect(c).rejects.toMatchObject({ code: 'E_PROVIDER_ABORTED' })
    expect(performance.now() - t0).toBeLessThan(1000)
    expect(seen?.aborted).toBe(true)
  })
})
