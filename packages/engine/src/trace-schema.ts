// The zod schema of a trace's events: one place that says what a JSONL trace line may hold, used by
// replay (strict) and the viewer (lenient). Every known field is checked; a line of an unknown
// event type is reported, not fatal, and unknown fields (from a newer engine) pass and are dropped.

import { z } from 'zod'
import type { RlmEvent } from './events.ts'

const errorInfo = z.object({ code: z.string(), message: z.string() })

const usage = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number(),
  costUsd: z.number(),
  calls: z.number(),
  unpricedCalls: z.number(),
})

const budgetName = z.enum([
  'maxIterations',
  'maxSubCalls',
  'maxTokens',
  'maxCostUsd',
  'maxWallTimeMs',
  'maxErrors',
])
const runStatus = z.enum(['final', 'budget_exhausted', 'error'])
const batchFn = z.enum(['llm_query_batched', 'rlm_query_batched'])

/** The fields every event carries; a line without them is not an rlm event. */
export const traceEnvelopeSchema = z.object({
  type: z.string(),
  runId: z.string(),
  nodeId: z.string(),
  depth: z.number().int().min(0),
  timestamp: z.number(),
})

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  traceEnvelopeSchema.extend({ type: z.literal(type), ...shape })

const eventSchemas = [
  event('run_start', {
    query: z.string(),
    promptVersion: z.string(),
    model: z.string(),
    subModel: z.string(),
    context: z.object({
      length: z.number(),
      documents: z.number(),
      hash: z.string(),
      text: z.string().optional(),
    }),
    settings: z.record(z.string(), z.unknown()),
    seed: z.number().optional(),
    clockStartMs: z.number().optional(),
  }),
  event('run_end', {
    status: runStatus,
    answer: z.string(),
    budget: budgetName.optional(),
    partialFrom: z.enum(['final_candidate', 'answer_now', 'last_output']).optional(),
    error: errorInfo.optional(),
    usage,
    durationMs: z.number(),
    subCalls: z.number(),
    maxDepthReached: z.number(),
  }),
  event('iteration_start', { iteration: z.number() }),
  event('model_reply', {
    purpose: z.enum(['iteration', 'answer_now', 'compaction']),
    iteration: z.number(),
    text: z.string(),
    usage,
    durationMs: z.number(),
    cached: z.boolean(),
  }),
  event('code_end', {
    iteration: z.number(),
    cell: z.number(),
    code: z.string(),
    output: z.string(),
    ok: z.boolean(),
    error: errorInfo.optional(),
    durationMs: z.number(),
  }),
  event('cell_output', { iteration: z.number(), cell: z.number(), chunk: z.string() }),
  event('iteration_end', {
    iteration: z.number(),
    reply: z.string(),
    code: z.array(z.string()),
    output: z.string(),
    final: z.boolean(),
    durationMs: z.number(),
    usage,
  }),
  event('subcall_start', {
    callId: z.string(),
    prompt: z.string(),
    promptChars: z.number(),
    promptHash: z.string(),
    model: z.string(),
  }),
  event('subcall_end', {
    callId: z.string(),
    promptHash: z.string(),
    // Traces written before sub-calls could be cancelled have no status.
    status: z.enum(['ok', 'error', 'cancelled']).optional(),
    answer: z.string(),
    error: errorInfo.optional(),
    usage,
    durationMs: z.number(),
    cached: z.boolean(),
  }),
  event('batch_start', { batchId: z.string(), fn: batchFn, size: z.number() }),
  event('batch_end', {
    batchId: z.string(),
    fn: batchFn,
    size: z.number(),
    ok: z.number(),
    errors: z.number(),
    cancelled: z.number(),
    notStarted: z.number(),
    durationMs: z.number(),
  }),
  event('child_start', { parentId: z.string(), query: z.string(), contextLength: z.number() }),
  event('child_end', {
    parentId: z.string(),
    status: runStatus,
    answer: z.string(),
    budget: budgetName.optional(),
    usage,
    durationMs: z.number(),
  }),
  event('context_access', {
    // `kind` is a display label here: a newer engine's new kind of read must not hide the line.
    access: z.object({
      nodeId: z.string(),
      kind: z.string(),
      start: z.number().optional(),
      end: z.number().optional(),
      pattern: z.string().optional(),
      results: z.number().optional(),
      timestamp: z.number(),
    }),
  }),
  // answerChars: since the answer is written once (run_end / child_end); older traces lack it.
  event('final', { answer: z.string(), answerChars: z.number().optional() }),
  event('compaction', {
    iteration: z.number(),
    tokensBefore: z.number(),
    tokensAfter: z.number(),
    summary: z.string(),
  }),
  event('budget_exhausted', { budget: budgetName, limit: z.number(), used: z.number() }),
  event('error', { code: z.string(), message: z.string(), fatal: z.boolean() }),
  event('notice', { iteration: z.number(), message: z.string() }),
  event('tool_end', {
    name: z.string(),
    argsHash: z.string(),
    replaySafe: z.boolean(),
    result: z.unknown().optional(),
    error: errorInfo.optional(),
    durationMs: z.number(),
  }),
] as const

/** One trace line: an event of a known type with every field checked. */
export const traceEventSchema = z.discriminatedUnion('type', eventSchemas)

/** A validated trace event (what a trace line holds; older traces may lack newer optional fields). */
export type TraceEvent = z.output<typeof traceEventSchema>

/** The event types this engine knows; a line of another type is reported as `unknown_type`. */
export const TRACE_EVENT_TYPES: ReadonlySet<string> = new Set(eventSchemas.map((s) => s.shape.type.value))

// The compiler holds events.ts and this schema together: every event the engine emits must pass
// (a changed field type or a new event type fails here), and every field of every event must be
// checked (a new field is named in the error below), so a trace is never refused or half-read later.
type SchemaOf<T extends string> = Extract<(typeof eventSchemas)[number], { shape: { type: z.ZodLiteral<T> } }>
type UncheckedField = {
  [E in RlmEvent as E['type']]: Exclude<keyof E, keyof SchemaOf<E['type']>['shape']>
}[RlmEvent['type']]
const everyFieldChecked: [UncheckedField] extends [never] ? true : UncheckedField = true
const emittedEventsPass = (e: RlmEvent): z.input<typeof traceEventSchema> => e
void [everyFieldChecked, emittedEventsPass]
