// createRunWorker's options, validated once (E_CONFIG naming the field).
import { formatIssues, RlmError } from '@rlm/errors'
import { z } from 'zod'
import type { CreateRunner } from './job-runner.ts'
import { DEFAULT_MAX_INLINE_BYTES } from './job-schema.ts'
import { DEFAULT_PREFIX, DEFAULT_QUEUE_NAME } from './queue-keys.ts'
import { checkRedisUrl } from './redis-connection.ts'
import type { SharedRateLimit } from './redis-rate-limiter.ts'

const rateLimit = z
  .object({
    requests: z.int().positive().optional(),
    tokens: z.int().positive().optional(),
    windowMs: z.int().positive(),
  })
  .strict()
  .refine((l) => l.requests !== undefined || l.tokens !== undefined, 'expected requests, tokens or both')

const workerOptionsSchema = z
  .object({
    redis: z.string(),
    name: z.string().min(1).optional(),
    prefix: z.string().min(1).optional(),
    concurrency: z.int().positive().max(1_000).optional(),
    rateLimits: z.record(z.string().min(1), rateLimit).optional(),
    maxSubCallConcurrency: z.int().positive().optional(),
    traceDir: z.string().min(1).optional(),
    lockDurationMs: z.int().min(100).optional(),
    stalledIntervalMs: z.int().min(100).optional(),
    maxStalledCount: z.int().min(0).optional(),
    urlAllowlist: z.array(z.string().min(1)).optional(),
    maxInlineBytes: z.int().positive().optional(),
    journalTtlSeconds: z.int().positive().optional(),
    createRunner: z
      .custom<CreateRunner>((v) => typeof v === 'function', { message: 'expected a function' })
      .optional(),
  })
  .strict()

export interface RunWorkerOptions {
  redis: string
  /** Queue name (default 'rlm-runs'), the same as the producer's. */
  name?: string
  prefix?: string
  /** Jobs this worker runs at once (default 1). */
  concurrency?: number
  /** Per provider ('openai', 'groq', ...): requests and/or tokens per window, shared by every worker. */
  rateLimits?: Record<string, SharedRateLimit>
  /** Sub-calls in flight across every worker of this queue. */
  maxSubCallConcurrency?: number
  /** Each job's trace is written to `<traceDir>/<job id>.jsonl`. */
  traceDir?: string
  /** How long a job's lock lasts without renewal (default 30 s): a dead worker's job is free after it. */
  lockDurationMs?: number
  /** How often the stalled-job check runs (default 30 s). */
  stalledIntervalMs?: number
  /** Stalls (a worker died holding the job) before the job fails with E_QUEUE_STALLED (default 3). */
  maxStalledCount?: number
  /** URL prefixes a `url` context may start with (default: none). */
  urlAllowlist?: string[]
  /** Largest inline context accepted from Redis (default 1 MiB). */
  maxInlineBytes?: number
  /** How long a job's journal of model responses is kept (default 7 days). */
  journalTtlSeconds?: number
  /** How a job becomes an Rlm run (default: createRlm over the job's model ids). */
  createRunner?: CreateRunner
}

export type ResolvedWorkerOptions = Required<
  Pick<
    RunWorkerOptions,
    'redis' | 'name' | 'prefix' | 'concurrency' | 'maxStalledCount' | 'maxInlineBytes' | 'journalTtlSeconds'
  >
> &
  Omit<
    RunWorkerOptions,
    'redis' | 'name' | 'prefix' | 'concurrency' | 'maxStalledCount' | 'maxInlineBytes' | 'journalTtlSeconds'
  >

export function parseWorkerOptions(options: RunWorkerOptions): ResolvedWorkerOptions {
  const parsed = workerOptionsSchema.safeParse(options)
  if (!parsed.success) {
    throw new RlmError(
      'E_CONFIG',
      `Invalid createRunWorker options. ${formatIssues(parsed.error.issues, { root: 'options', prefix: 'options' })}.`,
    )
  }
  return {
    ...options,
    redis: checkRedisUrl(options.redis, 'createRunWorker({ redis })'),
    name: options.name ?? DEFAULT_QUEUE_NAME,
    prefix: options.prefix ?? DEFAULT_PREFIX,
    concurrency: options.concurrency ?? 1,
    maxStalledCount: options.maxStalledCount ?? 3,
    maxInlineBytes: options.maxInlineBytes ?? DEFAULT_MAX_INLINE_BYTES,
    journalTtlSeconds: options.journalTtlSeconds ?? 7 * 24 * 3600,
  }
}
