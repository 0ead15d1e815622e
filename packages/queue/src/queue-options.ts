// The options both ends share (Redis URL, queue name, key prefix) and the queue's own:
// retention of finished jobs and attempts before a job is dead-lettered.
import { formatIssues, RlmError } from '@rlm/errors'
import { z } from 'zod'
import { DEFAULT_MAX_INLINE_BYTES } from './job-schema.ts'
import { DEFAULT_PREFIX, DEFAULT_QUEUE_NAME } from './queue-keys.ts'
import { checkRedisUrl } from './redis-connection.ts'

const keep = z
  .object({
    /** Most jobs kept in this state. */
    count: z.int().min(0).optional(),
    /** Seconds a job is kept in this state. */
    ageSeconds: z.int().positive().optional(),
  })
  .strict()

export const retentionSchema = z.object({ completed: keep.optional(), failed: keep.optional() }).strict()
export type Retention = z.infer<typeof retentionSchema>

export const RETENTION_DEFAULTS = {
  completed: { count: 10_000, ageSeconds: 7 * 24 * 3600 },
  failed: { count: 100_000, ageSeconds: 30 * 24 * 3600 },
} as const

export const DEFAULT_ATTEMPTS = 3

const queueOptionsSchema = z
  .object({
    redis: z.string(),
    name: z
      .string()
      .min(1)
      .regex(/^[\w.-]+$/, 'expected letters, digits, dot, dash or underscore')
      .optional(),
    prefix: z.string().min(1).optional(),
    retention: retentionSchema.optional(),
    attempts: z.int().min(1).max(100).optional(),
    maxInlineBytes: z.int().positive().optional(),
  })
  .strict()

export interface RunQueueOptions {
  /** redis://host:port */
  redis: string
  /** Queue name (default 'rlm-runs'); workers must use the same. */
  name?: string
  /** BullMQ key prefix (default 'bull'); '{rlm}' keeps every key in one Redis Cluster slot. */
  prefix?: string
  /** How many finished jobs to keep, and how long (defaults in RETENTION_DEFAULTS). */
  retention?: Retention
  /** Attempts before a job is dead-lettered as failed (default 3). */
  attempts?: number
  /** Largest inline context in UTF-8 bytes (default 1 MiB). */
  maxInlineBytes?: number
}

export interface ResolvedQueueOptions {
  redis: string
  name: string
  prefix: string
  retention: {
    completed: { count: number; ageSeconds: number }
    failed: { count: number; ageSeconds: number }
  }
  attempts: number
  maxInlineBytes: number
}

export function parseQueueOptions(options: RunQueueOptions, what = 'createRunQueue'): ResolvedQueueOptions {
  const parsed = queueOptionsSchema.safeParse(options)
  if (!parsed.success) {
    throw new RlmError(
      'E_CONFIG',
      `Invalid ${what} options. ${formatIssues(parsed.error.issues, { root: 'options', prefix: 'options' })}.`,
    )
  }
  const o = parsed.data
  return {
    redis: checkRedisUrl(o.redis, `${what}({ redis })`),
    name: o.name ?? DEFAULT_QUEUE_NAME,
    prefix: o.prefix ?? DEFAULT_PREFIX,
    retention: {
      completed: { ...RETENTION_DEFAULTS.completed, ...o.retention?.completed },
      failed: { ...RETENTION_DEFAULTS.failed, ...o.retention?.failed },
    },
    attempts: o.attempts ?? DEFAULT_ATTEMPTS,
    maxInlineBytes: o.maxInlineBytes ?? DEFAULT_MAX_INLINE_BYTES,
  }
}
