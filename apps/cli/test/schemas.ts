// zod schema of what `rlm run --json` prints: the tests validate real output against it, so a
// change to the output shape fails loudly. `--events` lines and trace files are checked with the
// engine's own schema (parseTrace / readTrace of @rlm/engine, strict), not a copy.

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

/** The one-line error format: code, message, exit code. */
export const ERROR_LINE = /^rlm: error (E_[A-Z_]+): .+ \(exit (\d+)\)$/m
