// The shapes that cross Redis: what a job holds (query, context reference, plain-data run config),
// what it ends with, and its progress events. Jobs are outside data: every read is validated.
import { type RlmEvent, rlmConfigSchema } from '@rlm/engine'
import { z } from 'zod'

/** Inline contexts above this many UTF-8 bytes are refused (E_QUEUE_CONTEXT_TOO_LARGE). */
export const DEFAULT_MAX_INLINE_BYTES = 1024 * 1024

export const contextRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('inline'), text: z.string() }).strict(),
  z
    .object({
      kind: z.literal('paths'),
      paths: z.array(z.string().min(1, 'expected a non-empty path')).min(1, 'expected at least one path'),
    })
    .strict(),
  z.object({ kind: z.literal('url'), url: z.url({ protocol: /^https?$/ }) }).strict(),
])
export type ContextRef = z.infer<typeof contextRefSchema>

const modelId = z
  .string()
  .min(1, 'expected a model id such as "openai:gpt-4o-mini"')
  .refine((s) => s.includes(':'), 'expected a model id of the form provider:model')

/**
 * The part of createRlm's config that is plain data (no functions, no model objects): model ids,
 * budget, limits and knobs. createRlm's own schema checks every value when the job is submitted.
 */
export const runJobConfigSchema = z
  .object({
    model: modelId,
    subModel: modelId.optional(),
    maxDepth: z.int().optional(),
    maxIterations: z.int().optional(),
    concurrency: z.int().optional(),
    executionTimeoutMs: z.int().optional(),
    budget: z.record(z.string(), z.number()).optional(),
    limits: z.record(z.string(), z.number()).optional(),
    outputLimit: z.int().optional(),
    memoryLimitBytes: z.int().optional(),
    contextInlineLimit: z.int().optional(),
    atMaxDepth: z.enum(['llm_query', 'error']).optional(),
    compaction: z
      .union([
        z.literal(false),
        z.object({ threshold: z.number().optional(), keepIterations: z.int().optional() }).strict(),
      ])
      .optional(),
    contextWindow: z.int().optional(),
    subContextWindow: z.int().optional(),
    temperature: z.number().optional(),
    maxOutputTokens: z.int().optional(),
    subMaxOutputTokens: z.int().optional(),
    instructions: z.string().optional(),
    /** Seed of the guests' Math.random (default: derived from the job id, so a replay sees the same). */
    seed: z.int().min(0).optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const engine = rlmConfigSchema.safeParse(config)
    if (engine.success) return
    for (const issue of engine.error.issues) ctx.addIssue({ ...issue, code: 'custom', input: undefined })
  })
export type RunJobConfig = z.infer<typeof runJobConfigSchema>

export const runJobInputSchema = z
  .object({
    query: z.string().min(1, 'expected a non-empty query'),
    context: contextRefSchema,
    config: runJobConfigSchema,
  })
  .strict()
export type RunJobInput = z.infer<typeof runJobInputSchema>

export const JOB_STATES = ['waiting', 'delayed', 'active', 'completed', 'failed', 'cancelled'] as const
export type JobState = (typeof JOB_STATES)[number]

const usageSchema = z.object({ inputTokens: z.number(), outputTokens: z.number() }).catchall(z.unknown())

export const jobResultSchema = z.object({
  answer: z.string(),
  status: z.enum(['final', 'budget_exhausted', 'error']),
  usage: usageSchema,
  tracePath: z.string().optional(),
  /** Model calls served from the journal instead of the provider (a replay after a crash). */
  replayedCalls: z.number().optional(),
})
export type JobResult = z.infer<typeof jobResultSchema>

export const jobErrorSchema = z.object({ code: z.string(), message: z.string() })
export type JobError = z.infer<typeof jobErrorSchema>

/** A queue-level change of state, or one engine event of the run (as the engine emitted it). */
export const runJobEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('job'),
    at: z.number(),
    attempt: z.number(),
    state: z.enum(JOB_STATES),
    worker: z.string().optional(),
    error: jobErrorSchema.optional(),
  }),
  z.object({
    type: z.literal('run'),
    at: z.number(),
    attempt: z.number(),
    // The engine's event as the worker's run emitted it (one over 32 KiB arrives as its type and
    // `truncated: true`); checked as an object with a type, the engine owns its fields.
    event: z.custom<RlmEvent>(
      (v) => typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string',
    ),
  }),
])
export type RunJobEvent = z.infer<typeof runJobEventSchema>

export interface JobInfo {
  id: string
  state: JobState
  query: string
  /** Attempts started so far (a stalled job handed to another worker counts again). */
  attempts: number
  maxAttempts: number
  createdAt: number
  startedAt?: number
  finishedAt?: number
  /** The last events of the run (newest last). */
  progress: RunJobEvent[]
  result?: JobResult
  error?: JobError
}
