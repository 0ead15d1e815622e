// Response cache: content-addressed by provider, model and request; an LRU in memory and,
// optionally, files in a directory (atomic temp-file + rename, so concurrent writers are safe),
// both bounded. Identical calls in flight at once share one provider call. Cached answers hold
// prompts and replies, so the directories are created 0700 and the files 0600.
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { abortError } from './provider-errors.ts'
import type { GenerateRequest, GenerateResponse, LanguageModel } from './spec.ts'
import { derive } from './wrap-model.ts'

export interface CacheOptions {
  /** Directory for the on-disk cache; memory only when absent. */
  dir?: string
  /** Entries kept in memory (default 1,000). */
  maxEntries?: number
  /** Bytes kept on disk before the oldest files are removed (default 256 MiB). */
  maxDiskBytes?: number
}

export type CachedResponse = Omit<GenerateResponse, 'timing' | 'cached'>

export interface ResponseCache {
  get(key: string): Promise<CachedResponse | undefined>
  set(key: string, value: CachedResponse): Promise<void>
  readonly stats: { hits: number; misses: number; writes: number }
}

const CACHE_FORMAT = 1

/** A stored response as the cache (and @rlm/queue's journal) reads it back: validated, never trusted. */
export const cachedResponseSchema = z.object({
  text: z.string(),
  usage: z.object({
    inputTokens: z.number(),
    outputTokens: z.number(),
    cachedInputTokens: z.number().optional(),
  }),
  finishReason: z.enum(['stop', 'length', 'content-filter', 'error', 'other']),
  costUsd: z.number().optional(),
  raw: z.unknown(),
})

/**
 * Marks a volatile line in a message (the engine's per-turn status: time and budget left). Such
 * lines change between otherwise identical runs, so cache keys leave them out.
 */
export const VOLATILE_LINE_MARK = '[rlm status]'
const VOLATILE_LINES = /^\[rlm status\][^\n]*(?:\n|$)/gm

/** The message text that identifies a request: volatile status lines removed. */
export function stableContent(content: string): string {
  return content.includes(VOLATILE_LINE_MARK) ? content.replace(VOLATILE_LINES, '') : content
}

/** The content address of a call: everything that can change the answer, nothing else. */
export function cacheKey(
  model: Pick<LanguageModel, 'provider' | 'modelId'>,
  request: GenerateRequest,
): string {
  const material = JSON.stringify([
    CACHE_FORMAT,
    model.provider,
    model.modelId,
    request.messages.map((m) => [m.role, stableContent(m.content)]),
    request.maxOutputTokens ?? null,
    request.temperature ?? null,
    request.stop ?? null,
  ])
  return createHash('sha256').update(material).digest('hex')
}

/** A cached response file, or undefined when it is missing, unreadable or not of this format. */
async function readCachedFile(path: string): Promise<CachedResponse | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined)
  if (text === undefined) return undefined
  let parsed: ReturnType<typeof cachedResponseSchema.safeParse> | undefined
  try {
    parsed = cachedResponseSchema.safeParse(JSON.parse(text))
  } catch {
    return undefined
  }
  return parsed.success ? ({ ...parsed.data, costUsd: parsed.data.costUsd } as CachedResponse) : undefined
}

async function listFiles(dir: string): Promise<{ path: string; size: number; mtimeMs: number }[]> {
  const out: { path: string; size: number; mtimeMs: number }[] = []
  for (const sub of await readdir(dir).catch(() => [] as string[])) {
    const subDir = join(dir, sub)
    for (const name of await readdir(subDir).catch(() => [] as string[])) {
      if (!name.endsWith('.json')) continue
      const s = await stat(join(subDir, name)).catch(() => undefined)
      if (s) out.push({ path: join(subDir, name), size: s.size, mtimeMs: s.mtimeMs })
    }
  }
  return out
}

/** Drops the oldest files until the directory is at 80% of its budget; returns the bytes left. */
async function prune(dir: string, maxDiskBytes: number): Promise<number> {
  const files = (await listFiles(dir)).sort((a, b) => a.mtimeMs - b.mtimeMs)
  let total = files.reduce((n, f) => n + f.size, 0)
  for (const f of files) {
    if (total <= maxDiskBytes * 0.8) break
    await rm(f.path, { force: true })
    total -= f.size
  }
  return total
}

export function createCache(options: CacheOptions = {}): ResponseCache {
  const maxEntries = options.maxEntries ?? 1000
  const maxDiskBytes = options.maxDiskBytes ?? 256 * 1024 * 1024
  const memory = new Map<string, CachedResponse>()
  const stats = { hits: 0, misses: 0, writes: 0 }
  const dir = options.dir
  let diskBytes: number | undefined
  let pruning: Promise<void> | undefined

  const remember = (key: string, value: CachedResponse): void => {
    memory.delete(key)
    memory.set(key, value)
    if (memory.size > maxEntries) memory.delete(memory.keys().next().value as string)
  }
  const fileOf = (key: string): string => join(dir as string, key.slice(0, 2), `${key}.json`)

  return {
    stats,
    async get(key) {
      const hit = memory.get(key)
      if (hit) {
        remember(key, hit)
        stats.hits++
        return hit
      }
      const value = dir ? await readCachedFile(fileOf(key)) : undefined
      if (value) {
        remember(key, value)
        stats.hits++
        return value
      }
      stats.misses++
      return undefined
    },
    async set(key, value) {
      remember(key, value)
      stats.writes++
      if (!dir) return
      const path = fileOf(key)
      await mkdir(join(dir, key.slice(0, 2)), { recursive: true, mode: 0o700 })
      const body = JSON.stringify(value)
      const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
      await writeFile(tmp, body, { mode: 0o600 })
      await rename(tmp, path)
      if (diskBytes === undefined) diskBytes = (await listFiles(dir)).reduce((n, f) => n + f.size, 0)
      else diskBytes += Buffer.byteLength(body)
      if (diskBytes > maxDiskBytes) {
        pruning ??= prune(dir, maxDiskBytes)
          .then((total) => {
            diskBytes = total
          })
          .finally(() => {
            pruning = undefined
          })
        await pruning
      }
    },
  }
}

export interface WithCacheOptions {
  cache: ResponseCache
  /** Cache calls with temperature > 0 too (off by default: those answers are meant to vary). */
  force?: boolean
}

interface SharedCall {
  promise: Promise<GenerateResponse>
  controller: AbortController
  waiters: number
}

/** Serves repeated calls from the cache; `cached: true` and `costUsd: 0` mark a hit. */
export function withCache(model: LanguageModel, options: WithCacheOptions): LanguageModel {
  const inFlight = new Map<string, SharedCall>()
  return derive(model, async (request) => {
    if (!options.force && request.temperature !== undefined && request.temperature > 0)
      return model.generate(request)
    const key = cacheKey(model, request)
    const startedAt = Date.now()
    const t0 = performance.now()
    const hit = await options.cache.get(key)
    if (hit)
      return { ...hit, costUsd: 0, cached: true, timing: { startedAt, durationMs: performance.now() - t0 } }
    let shared = inFlight.get(key)
    const joined = shared !== undefined
    if (!shared) {
      // The provider call belongs to all waiters: it is aborted only when every one of them is.
      const controller = new AbortController()
      const promise = model
        .generate({ ...request, abortSignal: controller.signal })
        .then(async (response) => {
          const { timing: _t, cached: _c, ...stored } = response
          await options.cache.set(key, stored)
          return response
        })
      const call: SharedCall = { promise, controller, waiters: 0 }
      shared = call
      inFlight.set(key, call)
      promise.then(
        () => inFlight.delete(key),
        () => inFlight.delete(key),
      )
    }
    const response = await waitFor(shared, request.abortSignal, model.provider)
    return joined ? { ...response, cached: true, costUsd: 0 } : response
  })
}

function waitFor(
  call: SharedCall,
  signal: AbortSignal | undefined,
  provider: string,
): Promise<GenerateResponse> {
  call.waiters++
  if (!signal) return call.promise
  return new Promise((resolve, reject) => {
    const leave = (): void => {
      signal.removeEventListener('abort', onAbort)
    }
    const onAbort = (): void => {
      leave()
      if (--call.waiters === 0) call.controller.abort(signal.reason)
      reject(abortError({ provider }, signal.reason))
    }
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    call.promise.then(
      (r) => {
        leave()
        resolve(r)
      },
      (e: unknown) => {
        leave()
        reject(e)
      },
    )
  })
}
