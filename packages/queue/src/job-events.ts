// A job's progress as a Redis stream: the worker appends (capped), readers get the history and
// follow new entries with a blocking XREAD, from any process, after any restart.
import type { Redis } from 'ioredis'
import { type RunJobEvent, runJobEventSchema } from './job-schema.ts'

/** Entries kept per job stream (older ones are trimmed). */
export const MAX_EVENTS_PER_JOB = 2_000
/**
 * How long a finished job's event stream stays (a day): it is for following a run live and for a
 * late `jobs show`; the result itself stays with the job for its retention. At a million jobs a
 * day, keeping streams for the retention's 30 days would hold 30 million of them.
 */
export const FINISHED_EVENTS_TTL_SECONDS = 24 * 3600
/** An engine event bigger than this is published as its type and a `truncated` mark. */
const MAX_EVENT_BYTES = 32 * 1024

function serialize(event: RunJobEvent): string {
  const body = JSON.stringify(event)
  if (body.length <= MAX_EVENT_BYTES || event.type !== 'run') return body
  return JSON.stringify({ ...event, event: { type: event.event.type, truncated: true } })
}

export async function publishEvent(
  redis: Redis,
  key: string,
  event: RunJobEvent,
  ttlSeconds: number,
): Promise<void> {
  await redis
    .pipeline()
    .xadd(key, 'MAXLEN', '~', String(MAX_EVENTS_PER_JOB), '*', 'e', serialize(event))
    .expire(key, ttlSeconds)
    .exec()
}

export interface EventPublisher {
  /** Queues an event; the events of one tick go to Redis in one pipeline, in order. */
  publish(event: RunJobEvent): void
  /** Resolves once every queued event is in the stream. */
  flush(): Promise<void>
}

/** A run emits tens of events in bursts: one write per burst, not per event. */
export function createEventPublisher(redis: Redis, key: string, ttlSeconds: number): EventPublisher {
  let pending: string[] = []
  let last: Promise<void> = Promise.resolve()
  let scheduled = false
  const send = (): void => {
    scheduled = false
    if (pending.length === 0) return
    const pipeline = redis.pipeline()
    for (const body of pending) pipeline.xadd(key, 'MAXLEN', '~', String(MAX_EVENTS_PER_JOB), '*', 'e', body)
    pipeline.expire(key, ttlSeconds)
    pending = []
    // Progress is best effort: a lost event never fails the run (the job state is the truth).
    last = pipeline.exec().then(
      () => {},
      () => {},
    )
  }
  return {
    publish(event) {
      pending.push(serialize(event))
      if (!scheduled) {
        scheduled = true
        setImmediate(send)
      }
    },
    flush() {
      send()
      return last
    },
  }
}

function parseEntries(entries: [string, string[]][]): { id: string; event: RunJobEvent }[] {
  const out: { id: string; event: RunJobEvent }[] = []
  for (const [id, fields] of entries) {
    const raw = fields[1]
    if (fields[0] !== 'e' || raw === undefined) continue
    let json: unknown
    try {
      json = JSON.parse(raw)
    } catch {
      continue // a foreign entry in our stream is skipped, never trusted
    }
    const parsed = runJobEventSchema.safeParse(json)
    if (parsed.success) out.push({ id, event: parsed.data })
  }
  return out
}

/** The last `count` events of a job, oldest first. */
export async function lastEvents(redis: Redis, key: string, count: number): Promise<RunJobEvent[]> {
  const entries = (await redis.xrevrange(key, '+', '-', 'COUNT', count)) as [string, string[]][]
  return parseEntries(entries.reverse()).map((e) => e.event)
}

/** Events after stream id `after` ('0' for all), waiting up to `blockMs` for the first one. */
export async function readEvents(
  redis: Redis,
  key: string,
  after: string,
  blockMs: number,
): Promise<{ id: string; event: RunJobEvent }[]> {
  const reply = (await redis.xread('COUNT', 500, 'BLOCK', blockMs, 'STREAMS', key, after)) as
    | [string, [string, string[]][]][]
    | null
  if (!reply) return []
  return parseEntries(reply[0]?.[1] ?? [])
}
