// One call to a model on behalf of a node: its worst case reserved against the run's budgets,
// then through the shared limiter, cancellable, with usage normalized and charged to the budgets.
// Replays answer from the recording instead.

import { isRlmError, RlmError } from '@rlm/errors'
import { raceAbort } from './abort-race.ts'
import { estimateCharsTokens, estimateInputTokens, worstCase } from './call-estimate.ts'
import type { LanguageModel, ModelMessage, ModelResponse } from './model-spec.ts'
import type { RunUsage } from './result.ts'
import type { RunScope } from './run-scope.ts'

export interface ModelCallResult {
  text: string
  usage: RunUsage
  durationMs: number
  cached: boolean
}

/**
 * Messages read only once the call holds its concurrency slot (a prompt holding a context range),
 * so queued calls keep no copy of their text; `chars` and `count` size the budget reservation.
 */
export interface DeferredMessages {
  chars: number
  count: number
  read(): ModelMessage[]
}

export interface ModelCallOptions {
  maxOutputTokens?: number | undefined
  temperature?: number | undefined
  /** The scope the call belongs to (a cell's, a node's); default the run's. */
  signal?: AbortSignal | undefined
  /** The model's window, for reserving the rest of it when no output cap is set. */
  window?: number | undefined
  /**
   * 'wait' (default): wait for room in the budgets, refuse only what could never fit.
   * 'ifFits': run only if the reservation fits now (the last "answer now" call).
   */
  reserve?: 'wait' | 'ifFits'
  /** Called once the call holds its concurrency slot (and deferred messages are read), just before the request is sent. */
  onStart?: () => void
  /** Where a replay finds the recorded reply. */
  replayKey:
    | { kind: 'node'; nodeId: string; purpose: string }
    | { kind: 'sub'; promptHash: string; prompt: string }
}

export async function callModel(
  scope: RunScope,
  model: LanguageModel,
  messages: ModelMessage[] | DeferredMessages,
  options: ModelCallOptions,
): Promise<ModelCallResult> {
  const started = performance.now()
  const signal = options.signal ?? scope.callSignal
  let response: ModelResponse
  if (scope.replay) {
    const key = options.replayKey
    if (!Array.isArray(messages)) messages.read()
    options.onStart?.()
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
    scope.budget.charge(usageOf(response))
  } else {
    response = await send(scope, model, messages, options, signal)
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
  const usage = usageOf(response)
  return {
    text: response.text,
    usage,
    durationMs: performance.now() - started,
    cached: response.cached === true,
  }
}

/** Reserves the call's worst case, waits for a slot, sends it; the reservation ends with the call. */
async function send(
  scope: RunScope,
  model: LanguageModel,
  messages: ModelMessage[] | DeferredMessages,
  options: ModelCallOptions,
  signal: AbortSignal,
): Promise<ModelResponse> {
  const budget = scope.budget
  let held = undefined as ReturnType<typeof budget.tryReserve>
  if (budget.reserves) {
    const input = Array.isArray(messages)
      ? estimateInputTokens(messages)
      : estimateCharsTokens(messages.chars, messages.count)
    const worst = worstCase(model, input, options.maxOutputTokens, options.window)
    held = options.reserve === 'ifFits' ? budget.tryReserve(worst) : await budget.reserve(worst, signal)
    if (!held) {
      throw new RlmError('E_BUDGET', 'The budget left cannot cover this call; it was not sent.', {
        details: { tokens: worst.tokens, costUsd: worst.costUsd },
      })
    }
  }
  try {
    // Budgets are reserved before a slot is taken, never while holding one: no call can hold a
    // slot while waiting for room that another call, waiting for a slot, holds.
    const response = await scope.limiter.run(async () => {
      if (signal.aborted) throw abortReason(signal)
      const request = Array.isArray(messages) ? messages : messages.read()
      options.onStart?.()
      try {
        // Raced with the signal too: a provider that ignores abortSignal cannot hold the run.
        return await raceAbort(
          model.generate({
            messages: request,
            ...(options.maxOutputTokens !== undefined && { maxOutputTokens: options.maxOutputTokens }),
            ...(options.temperature !== undefined && { temperature: options.temperature }),
            abortSignal: signal,
          }),
          signal,
          () => {
            throw abortReason(signal)
          },
        )
      } catch (cause) {
        if (signal.aborted) throw abortReason(signal)
        throw asRlmError(cause, model)
      }
    }, signal)
    // Charged before the reservation is given back, so no waiter sees the room twice.
    budget.charge(usageOf(response))
    return response
  } finally {
    if (held) budget.release(held)
  }
}

function usageOf(response: ModelResponse): RunUsage {
  return {
    inputTokens: response?.usage?.inputTokens ?? 0,
    outputTokens: response?.usage?.outputTokens ?? 0,
    cachedInputTokens: response?.usage?.cachedInputTokens ?? 0,
    costUsd: response?.costUsd ?? 0,
    calls: 1,
    unpricedCalls: response?.costUsd === undefined ? 1 : 0,
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
