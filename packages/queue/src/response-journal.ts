// Crash safety without double billing: every model response of a job is journaled in Redis under
// its request identity (the providers' cacheKey, which leaves the volatile status line out) and
// its occurrence number, so two identical calls at temperature > 0 stay two entries. A worker
// that takes over a stalled job serves the journaled responses and calls the provider only from
// the first missing one on. Unlike withCache, identical calls in flight are never shared.
import { PROMPT_VERSION } from '@rlm/engine'
import { type CachedResponse, cachedResponseSchema, cacheKey, derive } from '@rlm/providers'
import type { LanguageModel } from '@rlm/spec'
import type { Redis } from 'ioredis'
import { z } from 'zod'
import { QUEUE_ERROR_CODES, queueError } from './queue-errors.ts'

const META = 'meta'

const metaSchema = z.object({ promptVersion: z.string() })

export interface ResponseJournal {
  /** Entries found when the journal was opened (a replay when > 0). */
  readonly recorded: number
  /** Calls served from the journal so far. */
  readonly replayed: number
  /** The next occurrence number of a request identity in this run (0, 1, ...), across all its models. */
  nextOccurrence(identity: string): number
  /** The n-th response recorded for a request identity. */
  take(identity: string, occurrence: number): CachedResponse | undefined
  record(identity: string, occurrence: number, response: CachedResponse): Promise<void>
}

/**
 * Opens a job's journal: refuses one written under another prompt version (the replayed turns
 * would not match the prompts this engine sends), and stamps a new one with ours.
 */
export async function openJournal(redis: Redis, key: string, ttlSeconds: number): Promise<ResponseJournal> {
  const all = await redis.hgetall(key)
  const meta = all[META]
  if (meta !== undefined) {
    const parsed = metaSchema.safeParse(safeJson(meta))
    const version = parsed.success ? parsed.data.promptVersion : 'unreadable'
    if (version !== PROMPT_VERSION) {
      throw queueError(
        QUEUE_ERROR_CODES.promptVersion,
        `This job's journal was written under prompt version ${version}, and this worker runs ${PROMPT_VERSION}: a replay would diverge. Run the job on a worker of the same version, or submit it again as a new job.`,
        { journalVersion: version, promptVersion: PROMPT_VERSION },
      )
    }
  } else {
    // Not awaited: commands on one connection keep their order, so the stamp lands before any entry.
    redis
      .pipeline()
      .hset(key, META, JSON.stringify({ promptVersion: PROMPT_VERSION }))
      .expire(key, ttlSeconds)
      .exec()
      .catch(() => {})
  }
  const entries = new Map<string, CachedResponse>()
  for (const [field, value] of Object.entries(all)) {
    if (field === META) continue
    const parsed = cachedResponseSchema.safeParse(safeJson(value))
    if (parsed.success) entries.set(field, { ...parsed.data, costUsd: parsed.data.costUsd })
  }
  let replayed = 0
  const occurrences = new Map<string, number>()
  const field = (identity: string, occurrence: number): string => `${identity}#${occurrence}`
  return {
    recorded: entries.size,
    get replayed() {
      return replayed
    },
    nextOccurrence(identity) {
      const n = occurrences.get(identity) ?? 0
      occurrences.set(identity, n + 1)
      return n
    },
    take(identity, occurrence) {
      const hit = entries.get(field(identity, occurrence))
      if (hit) replayed++
      return hit
    },
    async record(identity, occurrence, response) {
      // The provider's raw body is left out: it can be large, and a replay needs only the answer.
      await redis.hset(key, field(identity, occurrence), JSON.stringify({ ...response, raw: null }))
    },
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The model, with every call answered from the journal when recorded, else made and recorded. */
export function withJournal(model: LanguageModel, journal: ResponseJournal): LanguageModel {
  return derive(model, async (request) => {
    const identity = cacheKey(model, request)
    const occurrence = journal.nextOccurrence(identity)
    const startedAt = Date.now()
    const hit = journal.take(identity, occurrence)
    if (hit) return { ...hit, timing: { startedAt, durationMs: 0 } }
    const response = await model.generate(request)
    const { timing: _t, cached: _c, ...stored } = response
    await journal.record(identity, occurrence, stored)
    return response
  })
}
