// zod schemas of what `rlm run --json` and `--events` print: the tests validate real output
// against them, so a change to the output shape fails loudly.

import { z } from 'zod'

const usage = z.object({
  inputTokens: z.number().nonnegative(),
  outputTokens: z.number().nonnegative(),
  cachedInputTokens: z.number().nonnegative(),
  costUsd: z.number().nonnegative(),
  calls: z.number().int().nonnegative(),
  unpricedCalls: z.number().int().nonnegative(),
})

const status = z.enum(['final', 'budget_exhausted', 'error'])
const errorInfo = z.object({ code: z.string().regex(/^E_/), message: z.string() })

type Node = {
  id: string
  depth: number
  query: string
  status: string
  answer: string
  iterations: unknown[]
  subCalls: unknown[]
  children: Node[]
}

const node: z.ZodType<Node> = z.lazy(() =>
  z.object({
    id: z.string(),
    depth: z.number().int(),
    query: z.string(),
    status,
    answer: z.string(),
    iterations: z.array(
      z.object({
        index: z.number().int(),
        reply: z.string(),
        code: z.array(z.string()),
        cells: z.array(z.object({ code: z.string(), output: z.string(), ok: z.boolean() })),
        output: z.string(),
        final: z.boolean(),
        usage,
      }),
    ),
    subCalls: z.array(z.object({ id: z.string(), prompt: z.string(), answer: z.string(), usage })),
    children: z.array(node),
  }),
)

export const resultSchema = z.object({
  answer: z.string(),
  status,
  budget: z.string().optional(),
  error: errorInfo.optional(),
  tree: node,
  usage,
  durationMs: z.number().nonnegative(),
  subCalls: z.number().int().nonnegative(),
  maxDepthReached: z.number().int().min(1),
  contextAccess: z.array(z.object({ kind: z.string(), nodeId: z.string() })),
  runId: z.string().min(1),
  promptVersion: z.string(),
  exitCode: z.number().int(),
  trace: z.string().endsWith('.jsonl'),
})

const base = { runId: z.string(), nodeId: z.string(), depth: z.number().int(), timestamp: z.number() }

export const eventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('run_start'),
    query: z.string(),
    model: z.string(),
    subModel: z.string(),
    promptVersion: z.string(),
  }),
  z.object({
    ...base,
    type: z.literal('run_end'),
    status,
    answer: z.string(),
    usage,
    durationMs: z.number(),
    subCalls: z.number(),
  }),
  z.object({ ...base, type: z.literal('iteration_start'), iteration: z.number().int() }),
  z.object({ ...base, type: z.literal('model_reply'), text: z.string(), usage }),
  z.object({ ...base, type: z.literal('code_end'), code: z.string(), output: z.string(), ok: z.boolean() }),
  z.object({
    ...base,
    type: z.literal('cell_output'),
    iteration: z.number().int(),
    cell: z.number().int(),
    chunk: z.string(),
  }),
  z.object({ ...base, type: z.literal('iteration_end'), iteration: z.number().int(), final: z.boolean() }),
  z.object({ ...base, type: z.literal('subcall_start'), callId: z.string(), prompt: z.string() }),
  z.object({
    ...base,
    type: z.literal('subcall_end'),
    callId: z.string(),
    status: z.enum(['ok', 'error', 'cancelled']),
    answer: z.string(),
    usage,
  }),
  z.object({ ...base, type: z.literal('batch_start'), batchId: z.string(), size: z.number().int() }),
  z.object({
    ...base,
    type: z.literal('batch_end'),
    batchId: z.string(),
    size: z.number().int(),
    ok: z.number().int(),
    errors: z.number().int(),
    cancelled: z.number().int(),
    notStarted: z.number().int(),
  }),
  z.object({ ...base, type: z.literal('child_start'), parentId: z.string(), query: z.string() }),
  z.object({ ...base, type: z.literal('child_end'), parentId: z.string(), status }),
  z.object({ ...base, type: z.literal('context_access'), access: z.object({ kind: z.string() }) }),
  z.object({ ...base, type: z.literal('final'), answer: z.string() }),
  z.object({ ...base, type: z.literal('compaction') }),
  z.object({
    ...base,
    type: z.literal('budget_exhausted'),
    budget: z.string(),
    limit: z.number(),
    used: z.number(),
  }),
  z.object({ ...base, type: z.literal('error'), code: z.string(), message: z.string(), fatal: z.boolean() }),
  z.object({ ...base, type: z.literal('notice'), message: z.string() }),
  z.object({
    ...base,
    type: z.literal('tool_end'),
    name: z.string(),
    argsHash: z.string(),
    replaySafe: z.boolean(),
  }),
])

/** The one-line error format: code, message, exit code. */
export const ERROR_LINE = /^rlm: error (E_[A-Z_]+): .+ \(exit (\d+)\)$/m
