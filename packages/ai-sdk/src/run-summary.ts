// What an RLM run reports back through the AI SDK: usage of the whole tree, a finish reason,
// and a JSON summary of the run for providerMetadata.rlm.
import type { JSONObject, LanguageModelV4FinishReason, LanguageModelV4Usage } from '@ai-sdk/provider'
import type { RlmResult } from '@rlm/engine'
import { RlmError, toErrorCode } from '@rlm/errors'

export function runUsage(result: RlmResult): LanguageModelV4Usage {
  const { inputTokens, outputTokens, cachedInputTokens } = result.usage
  return {
    inputTokens: {
      total: inputTokens,
      noCache: inputTokens - cachedInputTokens,
      cacheRead: cachedInputTokens,
      cacheWrite: undefined,
    },
    outputTokens: { total: outputTokens, text: outputTokens, reasoning: undefined },
  }
}

export function runFinishReason(result: RlmResult): LanguageModelV4FinishReason {
  return { unified: result.status === 'final' ? 'stop' : 'length', raw: result.status }
}

export function runSummary(result: RlmResult): JSONObject {
  const summary: JSONObject = {
    runId: result.runId,
    status: result.status,
    iterations: result.tree.iterations.length,
    subCalls: result.subCalls,
    maxDepthReached: result.maxDepthReached,
    durationMs: result.durationMs,
    calls: result.usage.calls,
    costUsd: result.usage.costUsd,
    unpricedCalls: result.usage.unpricedCalls,
    promptVersion: result.promptVersion,
  }
  if (result.budget !== undefined) summary.budget = result.budget
  if (result.partialFrom !== undefined) summary.partialFrom = result.partialFrom
  return summary
}

/** A run that ended in error (aborted included) fails the call, as a provider error would. */
export function throwIfFailed(result: RlmResult): void {
  if (result.status !== 'error') return
  const { code, message } = result.error ?? { code: 'E_INTERNAL', message: 'the run failed' }
  throw new RlmError(toErrorCode(code), `The RLM run ${result.runId} failed: ${message}`, {
    details: { runId: result.runId, usage: result.usage },
  })
}
