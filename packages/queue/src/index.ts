// @rlm/queue: rlm runs as durable jobs on BullMQ and Redis. Many workers on many machines share
// one rate limit and one sub-call cap; a crashed worker's job is replayed on another from its
// journal of model responses, so no completed call is billed twice.
export { type ContextRefOptions, resolveContextRef } from './context-ref.ts'
export type { CreateRunner, ModelRole, RunnerContext } from './job-runner.ts'
export {
  type ContextRef,
  contextRefSchema,
  DEFAULT_MAX_INLINE_BYTES,
  JOB_STATES,
  type JobError,
  type JobInfo,
  type JobResult,
  type JobState,
  jobResultSchema,
  type RunJobConfig,
  type RunJobEvent,
  type RunJobInput,
  runJobConfigSchema,
  runJobEventSchema,
  runJobInputSchema,
} from './job-schema.ts'
export { isFinalCode, QUEUE_ERROR_CODES, type QueueErrorCode } from './queue-errors.ts'
export { DEFAULT_PREFIX, DEFAULT_QUEUE_NAME } from './queue-keys.ts'
export {
  DEFAULT_ATTEMPTS,
  RETENTION_DEFAULTS,
  type Retention,
  type RunQueueOptions,
} from './queue-options.ts'
export {
  createRedisRateLimiter,
  type RedisRateLimiterOptions,
  type SharedRateLimit,
} from './redis-rate-limiter.ts'
export { createRedisSemaphore, type RedisSemaphore } from './redis-semaphore.ts'
export { openJournal, type ResponseJournal, withJournal } from './response-journal.ts'
export { createRunQueue, type RunQueue, type WaitOptions } from './run-queue.ts'
export { createRunWorker, type RunWorker } from './run-worker.ts'
export type { RunWorkerOptions } from './worker-options.ts'
