// What a worker tells the job's followers and cleans up when BullMQ settles a job: `completed`
// (the journal goes: a finished job never replays), a failure that will be retried (`delayed` or
// `waiting`), or a dead letter (`failed`, or `cancelled` for E_ABORTED; its journal is kept so a
// retry() pays for nothing twice).
import { type Job, WaitingError, type Worker } from 'bullmq'
import type { Redis } from 'ioredis'
import { FINISHED_EVENTS_TTL_SECONDS, publishEvent } from './job-events.ts'
import { parseFailedReason } from './job-info.ts'
import type { JobState } from './job-schema.ts'
import type { QueueKeys } from './queue-keys.ts'

export function announceSettledJobs(
  worker: Worker,
  env: { redis: Redis; keys: QueueKeys; workerId: string; ttl: number },
): void {
  const { redis, keys, workerId, ttl } = env
  const publish = (job: Job, state: JobState, error?: { code: string; message: string }): Promise<void> =>
    publishEvent(
      redis,
      keys.events(job.id as string),
      {
        type: 'job',
        at: Date.now(),
        attempt: job.attemptsStarted,
        state,
        worker: workerId,
        ...(error && { error }),
      },
      state === 'delayed' || state === 'waiting' ? ttl : FINISHED_EVENTS_TTL_SECONDS,
    ).catch(() => {})

  worker.on('completed', (job) => {
    const id = job.id as string
    redis
      .multi()
      .del(keys.journal(id))
      .srem(keys.cancelled, id)
      .exec()
      .catch(() => {})
    void publish(job, 'completed')
  })
  worker.on('failed', (job, err) => {
    // A job handed back at shutdown is not a failure.
    if (!job || err instanceof WaitingError || err.name === 'WaitingError') return
    void (async () => {
      const error = parseFailedReason(job.failedReason) ?? { code: 'E_INTERNAL', message: 'unknown failure' }
      const bullState = await job.getState().catch(() => 'unknown')
      if (bullState !== 'failed') return publish(job, bullState === 'delayed' ? 'delayed' : 'waiting', error)
      await redis.srem(keys.cancelled, job.id as string).catch(() => {})
      return publish(job, error.code === 'E_ABORTED' ? 'cancelled' : 'failed', error)
    })()
  })
}
