// The one reliability layer every model goes through: rate limiting, per-attempt timeout,
// cancellation, and retries with exponential backoff + jitter that honour `retry-after`.
import { isRlmError, RlmError } from '@rlm/errors'
import { abortError, timeoutError } from './provider-errors.ts'
import { createRateLimiter, type RateLimiter, type RateLimitOptions } from './rate-limiter.ts'
import type { GenerateRequest, GenerateResponse, LanguageModel } from './spec.ts'

export interface RetryOptions {
  /** Retries after the first attempt (default 2). 0 turns retrying off. */
  maxRetries?: number
  /** First backoff delay before jitter (default 500 ms); doubles per attempt. */
  initialDelayMs?: number
  /** Ceiling of one backoff delay (default 30 s). */
  maxDelayMs?: number
  /** A `retry-after` longer than this is not waited for; the error is thrown (default 60 s). */
  maxRetryAfterMs?: number
}

export interface WrapOptions extends RetryOptions {
  /** Per-attempt timeout in ms (default none). */
  timeoutMs?: number
  /** Limits or a limiter shared with other models of the same account. */
  rateLimit?: RateLimitOptions | RateLimiter
}

const sleep = (ms: number, signal: AbortSignal | undefined, provider: string): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError({ provider }, signal.reason))
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(abortError({ provider }, signal?.reason))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })

/** Rough token count for the limiter before the provider reports the real one. */
export function estimateTokens(request: GenerateRequest): number {
  let chars = 0
  for (const m of request.messages) chars += m.content.length
  return Math.ceil(chars / 4) + (request.maxOutputTokens ?? 0)
}

function isLimiter(value: RateLimitOptions | RateLimiter): value is RateLimiter {
  return typeof (value as RateLimiter).acquire === 'function'
}

/**
 * Adds a per-attempt timeout. The model is asked to stop through `abortSignal`, and the call
 * settles on time even when a model ignores the signal.
 */
export function withTimeout(model: LanguageModel, timeoutMs: number): LanguageModel {
  const ctx = { provider: model.provider, modelId: model.modelId }
  return derive(model, (request) => {
    const controller = new AbortController()
    const user = request.abortSignal
    const signal = user ? AbortSignal.any([user, controller.signal]) : controller.signal
    return new Promise<GenerateResponse>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer)
        user?.removeEventListener('abort', onAbort)
      }
      const onAbort = (): void => {
        finish()
        controller.abort()
        reject(abortError(ctx, user?.reason))
      }
      const timer = setTimeout(() => {
        finish()
        controller.abort()
        reject(timeoutError(ctx, timeoutMs))
      }, timeoutMs)
      if (user?.aborted) return onAbort()
      user?.addEventListener('abort', onAbort, { once: true })
      model.generate({ ...request, abortSignal: signal }).then(
        (response) => {
          finish()
          resolve(response)
        },
        (err: unknown) => {
          finish()
          reject(err)
        },
      )
    })
  })
}

/** Queues calls so they stay within the limits. */
export function withRateLimit(model: LanguageModel, limit: RateLimitOptions | RateLimiter): LanguageModel {
  const limiter = isLimiter(limit) ? limit : createRateLimiter(limit)
  return derive(model, async (request) => {
    const estimate = estimateTokens(request)
    const booking = await limiter.acquire(estimate, request.abortSignal)
    // A failed call settles too (at its estimate): a shared limiter frees or ages its booking then.
    let actual = estimate
    try {
      const response = await model.generate(request)
      actual = response.usage.inputTokens + response.usage.outputTokens
      return response
    } finally {
      booking.settle(actual)
    }
  })
}

/** Retries retryable RlmErrors (429, 5xx, timeouts, resets) with backoff and jitter. */
export function withRetry(model: LanguageModel, options: RetryOptions = {}): LanguageModel {
  const maxRetries = options.maxRetries ?? 2
  const initial = options.initialDelayMs ?? 500
  const ceiling = options.maxDelayMs ?? 30_000
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000
  if (maxRetries <= 0) return model
  return derive(model, async (request) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await model.generate(request)
      } catch (err) {
        if (!isRlmError(err) || !err.isRetryable || request.abortSignal?.aborted) throw err
        const retryAfter = err.details.retryAfterMs
        if (attempt >= maxRetries || (typeof retryAfter === 'number' && retryAfter > maxRetryAfter)) {
          throw gaveUp(err, attempt + 1)
        }
        let delay: number
        if (typeof retryAfter === 'number') delay = retryAfter
        else {
          const base = Math.min(ceiling, initial * 2 ** attempt)
          delay = base / 2 + Math.random() * (base / 2)
        }
        await sleep(delay, request.abortSignal, model.provider)
      }
    }
  })
}

/** The last error, saying how many attempts were made (kept in details.attempts too). */
function gaveUp(err: RlmError, attempts: number): RlmError {
  if (attempts === 1) return err
  return new RlmError(err.code, `${err.message} Gave up after ${attempts} attempts.`, {
    cause: err.cause ?? err,
    isRetryable: err.isRetryable,
    details: { ...err.details, attempts },
  })
}

/**
 * The full layer in the right order: retry (outermost) → rate limit → timeout → model.
 * Every built-in factory applies it; `resolveModel` applies it to custom provider packages.
 */
export function wrapModel(model: LanguageModel, options: WrapOptions = {}): LanguageModel {
  let m = model
  if (options.timeoutMs !== undefined) m = withTimeout(m, options.timeoutMs)
  if (options.rateLimit !== undefined) m = withRateLimit(m, options.rateLimit)
  return withRetry(m, options)
}

/** A model that keeps the identity of `model` but generates through `generate`. */
export function derive(
  model: LanguageModel,
  generate: (request: GenerateRequest) => Promise<GenerateResponse>,
): LanguageModel {
  return {
    specificationVersion: model.specificationVersion,
    provider: model.provider,
    modelId: model.modelId,
    contextWindow: model.contextWindow,
    ...(model.price && { price: model.price }),
    ...(model.backend !== undefined && { backend: model.backend }),
    generate,
  }
}
