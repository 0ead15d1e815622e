// Maps what an AI SDK model call throws (APICallError, RetryError, fetch errors, aborts) to an
// RlmError with our provider codes, so rlm's retry layer and error table treat an AI SDK model
// like a built-in one.
import { APICallError } from '@ai-sdk/provider'
import { isRlmError, RlmError } from '@rlm/errors'
import {
  badResponseError,
  errorFromStatus,
  mapProviderError,
  type ProviderErrorContext,
} from '@rlm/providers'
import { RetryError } from 'ai'

function parseBody(body: string | undefined): unknown {
  if (body === undefined) return undefined
  try {
    return JSON.parse(body) as unknown
  } catch {
    return body
  }
}

export function mapAiSdkError(err: unknown, ctx: ProviderErrorContext, signal?: AbortSignal): RlmError {
  // With maxRetries: 0 the SDK throws the call's own error, but a RetryError can still wrap it.
  const e = RetryError.isInstance(err) ? err.lastError : err
  if (isRlmError(e)) return e
  if (signal?.aborted) return mapProviderError(e, ctx, { signal })
  if (APICallError.isInstance(e)) {
    if (e.statusCode === undefined) return mapProviderError(e.cause ?? e, ctx, { signal })
    // A 2xx the SDK could not parse (malformed JSON, wrong shape) is the provider's bad answer.
    if (e.statusCode < 400) return badResponseError(ctx, e.message, e.responseBody, e)
    const mapped = errorFromStatus(e.statusCode, parseBody(e.responseBody), e.responseHeaders, ctx, e)
    // The provider package knows its API best: its retry verdict wins over ours.
    return new RlmError(mapped.code, mapped.message, {
      cause: e,
      isRetryable: e.isRetryable,
      details: mapped.details,
    })
  }
  return mapProviderError(e, ctx, { signal })
}
