// What a run reports about itself at its edges: the run_start event (query, models, a fingerprint
// of the context, settings), the result it resolves to, and the run_end event that mirrors it.

import { createHash } from 'node:crypto'
import type { RlmConfig } from './config.ts'
import type { ContextSource } from './context-source.ts'
import { wholeText } from './context-source.ts'
import type { EventPayload } from './events.ts'
import { modelName, type ResolvedModels } from './model-resolution.ts'
import { rootModelWindow, subModelWindow } from './model-window.ts'
import type { RunOutcome } from './node-outcome.ts'
import { PROMPT_VERSION } from './prompt/system-prompt.ts'
import { addUsage, emptyUsage, type RecursionNode, type RlmResult, type RunUsage } from './result.ts'
import type { RunScope } from './run-scope.ts'

/** A context up to this many characters is copied whole into the trace's run_start event. */
const TRACE_CONTEXT_CHARS = 100_000

type Payload<T extends EventPayload['type']> = Extract<EventPayload, { type: T }>

export function runStartEvent(
  query: string,
  ctx: ContextSource,
  models: ResolvedModels,
  scope: RunScope,
): Payload<'run_start'> {
  return {
    type: 'run_start',
    query,
    promptVersion: PROMPT_VERSION,
    model: modelName(models.model),
    subModel: modelName(models.subModel),
    context: {
      length: ctx.length,
      documents: ctx.documents.length,
      hash: fingerprint(ctx),
      ...(ctx.length <= TRACE_CONTEXT_CHARS && { text: wholeText(ctx) }),
    },
    settings: {
      ...settingsOf(scope.config),
      contextWindow: rootModelWindow(scope),
      subContextWindow: subModelWindow(scope),
    },
    ...(scope.determinism.seed !== undefined && { seed: scope.determinism.seed }),
    ...(scope.determinism.clockStartMs !== undefined && { clockStartMs: scope.determinism.clockStartMs }),
  }
}

export function runResult(
  outcome: RunOutcome,
  tree: RecursionNode,
  scope: RunScope,
  durationMs: number,
): RlmResult {
  return {
    answer: outcome.answer,
    status: outcome.status,
    ...(outcome.budget && { budget: outcome.budget }),
    ...(outcome.partialFrom && { partialFrom: outcome.partialFrom }),
    ...(outcome.error && { error: outcome.error }),
    tree,
    usage: rollUp(tree),
    durationMs,
    subCalls: scope.subCalls,
    maxDepthReached: scope.maxLevel,
    contextAccess: scope.contextAccess,
    runId: scope.runId,
    promptVersion: PROMPT_VERSION,
  }
}

export function runEndEvent(result: RlmResult): Payload<'run_end'> {
  return {
    type: 'run_end',
    status: result.status,
    answer: result.answer,
    ...(result.budget && { budget: result.budget }),
    ...(result.partialFrom && { partialFrom: result.partialFrom }),
    ...(result.error && { error: result.error }),
    usage: result.usage,
    durationMs: result.durationMs,
    subCalls: result.subCalls,
    maxDepthReached: result.maxDepthReached,
  }
}

function fingerprint(ctx: ContextSource): string {
  const h = createHash('sha1').update(String(ctx.length))
  const edge = 65_536
  if (ctx.length <= 2 * edge) h.update(ctx.slice(0, ctx.length))
  else h.update(ctx.slice(0, edge)).update(ctx.slice(ctx.length - edge, ctx.length))
  return h.digest('hex')
}

function settingsOf(c: RlmConfig): Record<string, unknown> {
  return {
    maxDepth: c.maxDepth,
    maxIterations: c.maxIterations,
    concurrency: c.concurrency,
    executionTimeoutMs: c.executionTimeoutMs,
    budget: c.budget,
    outputLimit: c.outputLimit,
    contextInlineLimit: c.contextInlineLimit,
    atMaxDepth: c.atMaxDepth,
    compaction: c.compaction,
    cache: c.cache !== false,
    tools: Object.keys(c.tools),
  }
}

function rollUp(node: RecursionNode): RunUsage {
  const total = addUsage(emptyUsage(), node.usage)
  for (const child of node.children) addUsage(total, rollUp(child))
  return total
}
