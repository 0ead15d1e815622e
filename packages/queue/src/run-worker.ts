// The consumer side: a BullMQ worker that runs jobs through the engine, with one rate limit and
// one sub-call cap shared by every worker through Redis, cancellation over pub/sub, and a
// shutdown that either finishes the current jobs or hands them back at once.
import { randomUUID } from 'node:crypto'
import { RlmError } from '@rlm/errors'
import type { RateLimiter } from '@rlm/providers'
import { type Job, WaitingError, Worker } from 'bullmq'
import type { Redis } from 'ioredis'
import type { JobResult } from './job-schema.ts'
import { type QueueKeys, queueKeys } from './queue-keys.ts'
import { bullConnection, openRedis } from './redis-connection.ts'
import { createRedisRateLimiter } from './redis-rate-limiter.ts'
import { createRedisSemaphore } from './redis-semaphore.ts'
import { type JobEnv, runJob } from './run-job.ts'
import { announceSettledJobs } from './worker-announcements.ts'
import { parseWorkerOptions, type ResolvedWorkerOptions, type RunWorkerOptions } from './worker-options.ts'

export interface RunWorker {
  /** This worker's id, as it appears in the jobs' `active` events. */
  readonly id: string
  /**
   * Stops taking jobs. graceful (default): the current jobs finish first. Otherwise they are
   * cancelled here and handed back to the queue at once; another worker replays them.
   */
  close(options?: { graceful?: boolean }): Promise<void>
}

const HAND_BACK = 'E_QUEUE_HAND_BACK'

export function createRunWorker(options: RunWorkerOptions): RunWorker {
  const o = parseWorkerOptions(options)
  const keys = queueKeys(o.name, o.prefix)
  const redis = openRedis(o.redis, { autoPipelining: true })
  const subscriber = openRedis(o.redis)
  const workerId = `${process.pid}-${randomUUID().slice(0, 8)}`
  const env = jobEnv(o, redis, keys, workerId)
  const running = new Map<string, AbortController>()
  const ttl = o.journalTtlSeconds

  const worker = new Worker(o.name, jobProcessor(env, running), {
    connection: bullConnection(o.redis),
    prefix: o.prefix,
    concurrency: o.concurrency,
    ...(o.lockDurationMs !== undefined && { lockDuration: o.lockDurationMs }),
    ...(o.stalledIntervalMs !== undefined && { stalledInterval: o.stalledIntervalMs }),
    maxStalledCount: o.maxStalledCount,
  })
  worker.on('error', () => {
    // connection errors are retried by ioredis; a worker must not crash its process on them
  })
  announceSettledJobs(worker, { redis, keys, workerId, ttl })

  subscriber.subscribe(keys.cancelChannel).catch(() => {})
  subscriber.on('message', (_channel: string, id: string) => {
    running.get(id)?.abort(new RlmError('E_ABORTED', 'The job was cancelled (rlm jobs cancel).'))
  })

  let closing: Promise<void> | undefined
  return {
    id: workerId,
    close({ graceful = true } = {}) {
      closing ??= (async () => {
        if (!graceful) {
          for (const c of running.values())
            c.abort(new RlmError(HAND_BACK, 'The worker is shutting down; the job goes back to the queue.'))
        }
        await worker.close()
        subscriber.disconnect()
        await redis.quit().catch(() => {})
      })()
      return closing
    },
  }
}

/** What every job of this worker shares: the Redis-backed rate limiters and sub-call cap. */
function jobEnv(o: ResolvedWorkerOptions, redis: Redis, keys: QueueKeys, workerId: string): JobEnv {
  const limiters = new Map<string, RateLimiter>()
  for (const [provider, limit] of Object.entries(o.rateLimits ?? {})) {
    limiters.set(provider, createRedisRateLimiter({ redis, key: keys.rateLimit(provider), ...limit }))
  }
  return {
    options: o,
    redis,
    keys,
    workerId,
    limiterFor: (provider) => limiters.get(provider),
    subCalls:
      o.maxSubCallConcurrency === undefined
        ? undefined
        : createRedisSemaphore({ redis, key: keys.subCalls, max: o.maxSubCallConcurrency }),
  }
}

/**
 * Runs one job, cancellable by BullMQ and through `running` (cancel messages, a hasty close); a
 * job handed back by a hasty close goes back to waiting instead of failing.
 */
function jobProcessor(env: JobEnv, running: Map<string, AbortController>) {
  return async (job: Job, token?: string, bullSignal?: AbortSignal): Promise<JobResult> => {
    const id = job.id as string
    const controller = new AbortController()
    running.set(id, controller)
    const onBullAbort = (): void => controller.abort(new RlmError('E_ABORTED', 'The job was cancelled.'))
    bullSignal?.addEventListener('abort', onBullAbort, { once: true })
    try {
      return await runJob(job, env, controller.signal)
    } catch (err) {
      const reason: unknown = controller.signal.reason
      if (controller.signal.aborted && reason instanceof RlmError && reason.code === HAND_BACK) {
        await job.moveToWait(token)
        throw new WaitingError()
      }
      throw err
    } finally {
      bullSignal?.removeEventListener('abort', onBullAbort)
      running.delete(id)
    }
  }
}
