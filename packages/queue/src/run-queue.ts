// The producer side: submit runs as BullMQ jobs, read them back, cancel, retry, and follow a run's
// progress live from its event stream. Usable from any process that can reach Redis.
import { randomUUID } from 'node:crypto'
import { formatIssues, issueDetails, RlmError } from '@rlm/errors'
import { type Job, Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import { FINISHED_EVENTS_TTL_SECONDS, lastEvents, publishEvent, readEvents } from './job-events.ts'
import { bullTypesFor, toJobInfo } from './job-info.ts'
import {
  JOB_STATES,
  type JobInfo,
  type JobState,
  type RunJobEvent,
  type RunJobInput,
  runJobInputSchema,
} from './job-schema.ts'
import { QUEUE_ERROR_CODES, queueError } from './queue-errors.ts'
import { type QueueKeys, queueKeys } from './queue-keys.ts'
import { parseQueueOptions, type ResolvedQueueOptions, type RunQueueOptions } from './queue-options.ts'
import { bullConnection, openRedis } from './redis-connection.ts'

/** Events returned with get() and list(). */
const PROGRESS_EVENTS = 20
const MAX_IDLE_FOLLOWERS = 4
const TERMINAL: ReadonlySet<JobState> = new Set(['completed', 'failed', 'cancelled'])

export interface WaitOptions {
  signal?: AbortSignal
  /** Every event of the run, from the first one, as it is published. */
  onEvent?: (event: RunJobEvent) => void
}

export interface RunQueue {
  submit(job: RunJobInput): Promise<{ id: string }>
  get(id: string): Promise<JobInfo | undefined>
  list(options?: { states?: JobState[]; limit?: number }): Promise<JobInfo[]>
  /** A waiting job is removed; an active one is cancelled on its worker (the whole run tree). */
  cancel(id: string): Promise<boolean>
  /** A failed (dead-lettered) or cancelled job is queued again. */
  retry(id: string): Promise<boolean>
  /** Resolves when the job has finished (completed, failed or cancelled). */
  wait(id: string, options?: WaitOptions): Promise<JobInfo>
  close(): Promise<void>
}

export function createRunQueue(options: RunQueueOptions): RunQueue {
  const o = parseQueueOptions(options)
  const keys = queueKeys(o.name, o.prefix)
  const queue = new Queue(o.name, { connection: bullConnection(o.redis), prefix: o.prefix })
  // Connection errors while Redis restarts: BullMQ reconnects by itself (and would print each one).
  queue.on('error', () => {})
  const redis = openRedis(o.redis, { autoPipelining: true })
  const followers = new Set<Redis>()
  const idleFollowers: Redis[] = []
  let closed = false
  const ensureOpen = (): void => {
    if (closed) throw queueError(QUEUE_ERROR_CODES.closed, 'This RunQueue is closed; create a new one.')
  }
  const info = async (job: Job): Promise<JobInfo> => {
    const [state, progress] = await Promise.all([
      job.getState(),
      lastEvents(redis, keys.events(job.id as string), PROGRESS_EVENTS),
    ])
    return toJobInfo(job, state, progress)
  }
  const get = async (id: string): Promise<JobInfo | undefined> => {
    ensureOpen()
    const job = await queue.getJob(id)
    return job ? info(job) : undefined
  }

  return {
    async submit(input) {
      ensureOpen()
      return submitJob(queue, redis, keys, o, input)
    },
    get,
    async list(listOptions = {}) {
      ensureOpen()
      const states = listOptions.states ?? [...JOB_STATES]
      const limit = listOptions.limit ?? 100
      const jobs = (await queue.getJobs(bullTypesFor(states), 0, Math.max(0, limit - 1), false)).filter(
        (j): j is Job => j !== undefined && j !== null,
      )
      const infos = await Promise.all(jobs.map(info))
      return infos.filter((j) => states.includes(j.state)).slice(0, limit)
    },
    async cancel(id) {
      ensureOpen()
      return cancelJob(queue, redis, keys, id)
    },
    async retry(id) {
      ensureOpen()
      return retryJob(queue, redis, keys, o, id)
    },
    async wait(id, waitOptions = {}) {
      ensureOpen()
      // A blocking XREAD needs a connection of its own; finished waits leave theirs for the next.
      const follower = idleFollowers.pop() ?? openRedis(o.redis)
      followers.add(follower)
      let reusable = false
      try {
        const info = await follow(get, follower, keys.events(id), id, waitOptions)
        reusable = true
        return info
      } finally {
        if (reusable && !closed && idleFollowers.length < MAX_IDLE_FOLLOWERS) idleFollowers.push(follower)
        else {
          followers.delete(follower)
          follower.disconnect()
        }
      }
    },
    async close() {
      if (closed) return
      closed = true
      for (const f of followers) f.disconnect()
      await queue.close()
      await redis.quit().catch(() => {})
    },
  }
}

async function submitJob(
  queue: Queue,
  redis: Redis,
  keys: QueueKeys,
  o: ResolvedQueueOptions,
  input: RunJobInput,
): Promise<{ id: string }> {
  const data = validateInput(input, o)
  const id = randomUUID()
  // The job and its first event in parallel: one round trip of latency, not two.
  await Promise.all([
    queue.add('run', data, {
      jobId: id,
      attempts: o.attempts,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: { count: o.retention.completed.count, age: o.retention.completed.ageSeconds },
      removeOnFail: { count: o.retention.failed.count, age: o.retention.failed.ageSeconds },
    }),
    announceWaiting(redis, keys, o, id),
  ])
  return { id }
}

/** A failed (or cancelled) job queued again, with fresh attempts; false for any other job. */
async function retryJob(
  queue: Queue,
  redis: Redis,
  keys: QueueKeys,
  o: ResolvedQueueOptions,
  id: string,
): Promise<boolean> {
  const job = await queue.getJob(id)
  if (!job || (await job.getState()) !== 'failed') return false
  await redis.srem(keys.cancelled, id)
  await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true })
  await announceWaiting(redis, keys, o, id)
  return true
}

function announceWaiting(redis: Redis, keys: QueueKeys, o: ResolvedQueueOptions, id: string): Promise<void> {
  return publishEvent(
    redis,
    keys.events(id),
    { type: 'job', at: Date.now(), attempt: 0, state: 'waiting' },
    eventsTtl(o),
  )
}

function eventsTtl(o: ResolvedQueueOptions): number {
  return Math.max(o.retention.completed.ageSeconds, o.retention.failed.ageSeconds)
}

function validateInput(input: unknown, o: ResolvedQueueOptions): RunJobInput {
  const parsed = runJobInputSchema.safeParse(input)
  if (!parsed.success) {
    throw new RlmError(
      'E_CONFIG',
      `Invalid job. ${formatIssues(parsed.error.issues, { root: 'job', prefix: 'job' })}.`,
      {
        details: { issues: issueDetails(parsed.error.issues) },
      },
    )
  }
  const data = parsed.data
  if (data.context.kind === 'inline') {
    const bytes = Buffer.byteLength(data.context.text)
    if (bytes > o.maxInlineBytes) {
      throw queueError(
        QUEUE_ERROR_CODES.contextTooLarge,
        `The inline context is ${bytes} bytes, over the queue's cap of ${o.maxInlineBytes}: put the files on storage every worker reads and submit { kind: 'paths' }, or raise maxInlineBytes.`,
        { bytes, maxInlineBytes: o.maxInlineBytes },
      )
    }
  }
  return data
}

async function cancelJob(queue: Queue, redis: Redis, keys: QueueKeys, id: string): Promise<boolean> {
  const job = await queue.getJob(id)
  if (!job) return false
  const state = await job.getState()
  if (state === 'completed' || state === 'failed') return false
  if (state !== 'active') {
    const removed = await job.remove().then(
      () => true,
      () => false, // it became active meanwhile: cancel it on its worker below
    )
    if (removed) {
      await publishEvent(
        redis,
        keys.events(id),
        { type: 'job', at: Date.now(), attempt: 0, state: 'cancelled' },
        FINISHED_EVENTS_TTL_SECONDS,
      )
      return true
    }
  }
  // The set survives a worker crash: whoever picks the stalled job up sees it is cancelled.
  await redis.multi().sadd(keys.cancelled, id).publish(keys.cancelChannel, id).exec()
  return true
}

async function follow(
  get: (id: string) => Promise<JobInfo | undefined>,
  follower: Redis,
  key: string,
  id: string,
  options: WaitOptions,
): Promise<JobInfo> {
  const { signal, onEvent } = options
  let after = '0'
  const aborted = new Promise<never>((_, reject) => {
    if (!signal) return
    const fail = (): void =>
      reject(new RlmError('E_ABORTED', `Stopped waiting for job ${id}; the job goes on.`))
    if (signal.aborted) fail()
    else
      signal.addEventListener(
        'abort',
        () => {
          follower.disconnect()
          fail()
        },
        { once: true },
      )
  })
  aborted.catch(() => {})
  for (;;) {
    const entries = await Promise.race([readEvents(follower, key, after, 1_000), aborted])
    for (const { id: entryId, event } of entries) {
      after = entryId
      onEvent?.(event)
    }
    const terminalEvent = entries.some((e) => e.event.type === 'job' && TERMINAL.has(e.event.state))
    // The job's own state decides: events can be trimmed or expire, a removed job has none.
    if (terminalEvent || entries.length === 0) {
      const info = await Promise.race([get(id), aborted])
      if (!info) {
        if (terminalEvent) return cancelledInfo(id)
        throw queueError(
          QUEUE_ERROR_CODES.notFound,
          `No job ${id} in this queue (never submitted, or removed by retention).`,
        )
      }
      if (TERMINAL.has(info.state)) return info
    }
  }
}

/** A cancelled job that was still waiting is removed; what wait() reports for it. */
function cancelledInfo(id: string): JobInfo {
  return {
    id,
    state: 'cancelled',
    query: '',
    attempts: 0,
    maxAttempts: 0,
    createdAt: 0,
    progress: [],
    error: { code: 'E_ABORTED', message: 'Cancelled before it started.' },
  }
}
