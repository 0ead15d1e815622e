// rlm_ask: one Recursive Language Model run over files, folders or text far larger than the
// agent's window. The model comes from the server's config; the call may choose a budget and a
// depth within the server's limits. Progress is streamed from the engine's events, and cancelling
// the request aborts the run through the whole tree (queued sub-calls never start).

import { join } from 'node:path'
import type { RlmConfigInput, RlmResult } from '@rlm/engine'
import type { ConcurrencyLimiter } from '@rlm/engine/concurrency-limiter'
import { RlmError } from '@rlm/errors'
import { z } from 'zod'
import { loadRequestedContext } from '../path-context.ts'
import { createRunProgress } from '../run-progress.ts'
import type { McpTool } from '../tool-definition.ts'
import type { TraceResources } from '../trace-resources.ts'
import { applyAskLimits } from './ask-limits.ts'
import { askOutputSchema, askResult } from './ask-result.ts'
import { PATHS_DESCRIPTION, type ToolEnvironment } from './tool-environment.ts'

export interface AskEnvironment extends ToolEnvironment {
  /** The engine config of every run (model, limits, budgets); may throw, e.g. with no model configured. */
  engine(): Promise<RlmConfigInput>
  /** Folder of trace files, or false for none. */
  traceDir: string | false
  traces: TraceResources
  progressIntervalMs: number
  /** The run slots this server shares (see run-slots.ts). */
  slots(): Promise<ConcurrencyLimiter>
}

const input = z
  .object({
    question: z
      .string()
      .min(1)
      .describe(
        'The question or task, in plain words, as you would ask someone who can read everything given',
      ),
    paths: z.array(z.string().min(1)).max(100).optional().describe(PATHS_DESCRIPTION),
    text: z.string().optional().describe('Text to ask about, given inline (with paths: one more document)'),
    budget: z
      .object({
        maxCostUsd: z
          .number()
          .positive()
          .optional()
          .describe('Stop after this cost in USD (needs priced models)'),
        maxSubCalls: z.number().int().positive().optional().describe('Most sub-model calls and child runs'),
        maxWallTimeMs: z.number().int().positive().optional().describe('Stop after this many milliseconds'),
      })
      .strict()
      .optional()
      .describe(
        "Limits for this run, each at most the server's own; a run that hits one returns a partial answer",
      ),
    maxDepth: z
      .number()
      .int()
      .min(1)
      .max(50)
      .optional()
      .describe("Recursion levels (1 = no child RLMs), at most the server's maxDepth"),
  })
  .strict()

export function askTool(env: AskEnvironment): McpTool<typeof input> {
  return {
    name: 'rlm_ask',
    title: 'Ask a Recursive Language Model',
    description:
      "Answer a question about files, folders or text far larger than your context window. rlm loads them into a sandbox where a model writes code to search, split and read them, fans out to sub-model calls, and returns one answer — you get the answer, not the text. Use it for questions that need reading a lot: how a feature works across a repository, what a set of logs or documents says about something, summaries of long material. Give `paths` (files or folders inside the server's roots) and/or `text`. A run takes seconds to minutes and costs model calls: bound it with `budget`; progress is reported while it runs and cancelling the request stops it. To find where a string occurs, context_search is faster and free.",
    input,
    output: askOutputSchema,
    annotations: { readOnlyHint: true, idempotentHint: false, openWorldHint: true },
    async run(args, call) {
      if ((args.paths?.length ?? 0) === 0 && args.text === undefined) {
        throw new RlmError(
          'E_USAGE',
          "rlm_ask needs something to read: pass `paths` (files or folders inside the server's roots) or `text`.",
        )
      }
      // Imported on first use, like @rlm/context: `rlm mcp` answers its handshake sooner.
      const { createRlm, traceFileName } = await import('@rlm/engine')
      const base = await env.engine()
      const settings = applyAskLimits(base, createRlm(base).config, args)
      const context = await loadRequestedContext(args, call.roots, env.load)
      const tracePath = env.traceDir === false ? false : join(env.traceDir, traceFileName('mcp'))
      const uri = tracePath === false ? undefined : env.traces.add(tracePath, args.question)
      const progress = call.progress && createRunProgress(call.progress, env.progressIntervalMs)
      const slots = await env.slots()
      if (slots.active >= slots.limit) {
        progress?.note(
          `waiting for a run slot: ${slots.active} rlm_ask runs in progress, ${slots.pending} waiting (at most ${slots.limit} at once)`,
        )
      }
      let result: RlmResult
      try {
        const run = () =>
          createRlm({ logLevel: 'silent', ...settings }).run({
            query: args.question,
            context,
            signal: call.signal,
            trace: tracePath,
            ...(progress && { onEvent: progress.onEvent }),
          })
        result = await slots.run(run, call.signal)
      } catch (err) {
        // Rejected before it started (invalid settings, an unpriced model under maxCostUsd, cancelled
        // while waiting for a slot): no trace.
        if (uri) env.traces.forget(uri)
        throw err
      } finally {
        await progress?.finish()
      }
      const answer = askResult(result, { path: tracePath, uri })
      return uri ? { ...answer, links: [env.traces.link(uri)] } : answer
    },
  }
}
