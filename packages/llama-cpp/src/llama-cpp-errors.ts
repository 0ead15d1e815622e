// The errors of the llama.cpp provider as RlmErrors with rlm's stable codes: a bad file or
// setting is E_CONFIG (the user fixes it), a prompt past the window E_CONTEXT_WINDOW, a
// cancelled call E_PROVIDER_ABORTED. Each names the provider and the model file in details.
import { isRlmError, RlmError } from '@rlm/errors'

export const PROVIDER = 'llama-cpp'

export function configError(modelPath: string, message: string, cause?: unknown): RlmError {
  return new RlmError('E_CONFIG', message, { cause, details: { provider: PROVIDER, modelId: modelPath } })
}

export function abortedError(modelPath: string, reason?: unknown): RlmError {
  return new RlmError('E_PROVIDER_ABORTED', `The llama.cpp call to ${modelPath} was aborted.`, {
    cause: reason,
    details: { provider: PROVIDER, modelId: modelPath },
  })
}

export function contextWindowError(modelPath: string, promptTokens: number, window: number): RlmError {
  return new RlmError(
    'E_CONTEXT_WINDOW',
    `The prompt is ${promptTokens} tokens, and the llama.cpp context of ${modelPath} holds ${window}: send less text, or raise contextSize (up to what the model was trained on, memory permitting).`,
    { details: { provider: PROVIDER, modelId: modelPath, promptTokens, contextWindow: window } },
  )
}

/** What a failed generation turns into: abort when the signal fired, else an internal error. */
export function generationError(modelPath: string, err: unknown, signal: AbortSignal | undefined): RlmError {
  if (isRlmError(err)) return err
  if (signal?.aborted) return abortedError(modelPath, signal.reason)
  return new RlmError(
    'E_PROVIDER_BAD_RESPONSE',
    `llama.cpp failed while generating with ${modelPath}: ${(err as Error)?.message ?? String(err)}`,
    { cause: err, details: { provider: PROVIDER, modelId: modelPath } },
  )
}
