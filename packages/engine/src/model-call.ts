// One call to a model on behalf of a node: through the shared limiter, cancellable, with usage
// normalized and charged to the run's budgets. Replays answer from the recording instead.

import { isRlmError, RlmError } from '@rlm/errors'
import type { LanguageModel, ModelMessage, ModelResponse } from './model-spec.ts'
import type { RunUsage } from './result.ts'
import type { RunScope } from './run-scope.ts'

export interface ModelCallResult {
  text: string
  usage: RunUsage
  durationMs: number
  cached: boolean
}

export interface ModelCallOptions {
  maxOutputTokens?: number | undefined
  temperature?: number | undefined
  /** Use this signal instead of the run's (the final "answer now" call outlives a spent budget). */
  signal?: AbortSignal | undefined
  /** Where a replay finds the recorded reply. */
  replayKey:
    | { kind: 'node'; nodeId: string; purpose: string }
    | { kind: 'sub'; promptHash: string; prompt: string }
}

export async function callModel(
  scope: RunScope,
  model: LanguageModel,
  messages: ModelMessage[],
  options: ModelCallOptions,
): Promise<ModelCallResult> {
  const started = performance.now()
  const signal = options.signal ?? scope.callSignal
  let response: ModelResponse
  if (scope.replay) {
    const key = options.replayKey
    try {
      response =
        key.kind === 'node'
          ? scope.replay.nodeReply(key.nodeId, key.purpose)
          : scope.replay.subAnswer(key.promptHash, key.prompt)
    } catch (cause) {
      // The recording stopped here because a budget ran out: end the replay the same way.
      const end = scope.replay.endBudget
      if (isRlmError(cause) && cause.code === 'E_REPLAY_EXHAUSTED' && end && !scope.budget.spent()) {
        scope.budget.exhaust(end)
        throw abortReason(scope.budget.signal)
      }
      throw cause
    }
  } else {
    response = await scope.limiter.run(async () => {
      if (signal.aborted) throw abortReason(signal)
      try {
        return await model.generate({
          messages,
          ...(options.maxOutputTokens !== undefined && { maxOutputTokens: options.maxOutputTokens }),
          ...(options.temperature !== undefined && { temperature: options.temperature }),
          abortSignal: signal,
        })
      } catch (cause) {
        if (signal.aborted) throw abortReason(signal)
        throw asRlmError(cause, model)
      }
    }, signal)
  }
  if (typeof response?.text !== 'string') {
    throw new RlmError(
      'E_PROVIDER_BAD_RESPONSE',
      `Model ${model.provider}:${model.modelId} returned no text.`,
      {
        details: { provider: model.provider, model: model.modelId },
      },
    )
  }
  const usage: RunUsage = {
    inputTokens: response.usage?.inputTokens ?? 0,
    outputTokens: response.usage?.outputTokens ?? 0,
    cachedInputTokens: response.usage?.cachedInputTokens ?? 0,
    costUsd: response.costUsd ?? 0,
    calls: 1,
    unpricedCalls: response.costUsd === undefined ? 1 : 0,
  }
  scope.budget.charge(usage)
  return {
    text: response.text,
    usage,
    durationMs: performance.now() - started,
    cached: response.cached === true,
  }
}

function abortReason(signal: AbortSignal): RlmError {
  const reason: unknown = signal.reason
  if (isRlmError(reason)) return reason
  return new RlmError('E_ABORTED', 'The run was cancelled.', { cause: reason })
}

function asRlmError(cause: unknown, model: LanguageModel): RlmError {
  if (isRlmError(cause)) return cause
  const message = cause instanceof Error ? cause.message : String(cause)
  return new RlmError(
    'E_PROVIDER_UNAVAILABLE',
    `Model ${model.provider}:${model.modelId} failed: ${message}`,
    {
      cause,
      details: { provider: model.provider, model: model.modelId },
    },
  )
}
