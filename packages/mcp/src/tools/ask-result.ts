// An rlm_ask run's result as the tool answers it: the answer first (what an agent reads), then one
// line of how it ended and what it used, and the structured result with the trace's path and URI.
// A run that ended in an error is a tool error carrying the run's code.

import type { RecursionNode, RlmResult } from '@rlm/engine'
import { z } from 'zod'
import { costText, countOf } from '../run-figures.ts'
import type { ToolSuccess } from '../tool-result.ts'

export const askOutputSchema = z.object({
  answer: z.string().describe('The answer; a partial one when status is budget_exhausted'),
  status: z.enum(['final', 'budget_exhausted', 'error']),
  usage: z.object({
    inputTokens: z.number(),
    outputTokens: z.number(),
    cachedInputTokens: z.number(),
    costUsd: z.number(),
    calls: z.number(),
    unpricedCalls: z.number().describe('Calls whose price was unknown (not in costUsd)'),
  }),
  iterations: z.number(),
  subCalls: z.number(),
  maxDepthReached: z.number(),
  durationMs: z.number(),
  trace: z.string().nullable().describe('Path of the JSONL trace file (null when traces are off)'),
  traceUri: z.string().nullable().describe('The trace as an MCP resource (resources/read)'),
  runId: z.string(),
  budget: z.string().optional().describe('Which budget ran out, when status is budget_exhausted'),
  partialFrom: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
})

export type AskOutput = z.infer<typeof askOutputSchema>

function iterationsOf(node: RecursionNode): number {
  return node.children.reduce((n, child) => n + iterationsOf(child), node.iterations.length)
}

const PARTIAL_FROM: Record<string, string> = {
  final_candidate: 'the last FINAL candidate',
  answer_now: "the model's answer to a last 'answer now' request",
  last_output: 'no answer from the model, only the last code output',
}

function summaryLine(o: AskOutput): string {
  const u = o.usage
  const parts = [
    o.status,
    countOf(o.iterations, 'iteration'),
    countOf(o.subCalls, 'sub-call'),
    `depth ${o.maxDepthReached}`,
    countOf(u.inputTokens + u.outputTokens, 'token'),
    costText(u.costUsd, u.unpricedCalls),
    `${(o.durationMs / 1000).toFixed(1)} s`,
  ]
  const trace = o.traceUri ? `trace ${o.traceUri} (${o.trace})` : 'no trace'
  return `[rlm] ${parts.join(' · ')} · ${trace}`
}

export function askResult(
  result: RlmResult,
  trace: { path: string | false; uri: string | undefined },
): ToolSuccess {
  const output: AskOutput = {
    answer: result.answer,
    status: result.status,
    usage: result.usage,
    iterations: iterationsOf(result.tree),
    subCalls: result.subCalls,
    maxDepthReached: result.maxDepthReached,
    durationMs: result.durationMs,
    trace: trace.path || null,
    traceUri: trace.uri ?? null,
    runId: result.runId,
    ...(result.budget && { budget: result.budget }),
    ...(result.partialFrom && { partialFrom: result.partialFrom }),
    ...(result.error && { error: result.error }),
  }
  const text: string[] = []
  if (result.status === 'error') {
    const e = result.error ?? { code: 'E_INTERNAL', message: 'The run failed without an error message.' }
    text.push(`${e.code}: ${e.message}`)
    return { structured: output, text: [...text, summaryLine(output)], error: e }
  }
  text.push(result.answer)
  if (result.status === 'budget_exhausted') {
    const from = (result.partialFrom && PARTIAL_FROM[result.partialFrom]) ?? 'what the run had'
    text.push(
      `[rlm] Partial answer: the ${result.budget ?? 'run'} budget ran out; the answer above is ${from}. Ask again with a larger budget (within the server's limits) or a narrower question for a complete one.`,
    )
  }
  text.push(summaryLine(output))
  return { structured: output, text }
}
