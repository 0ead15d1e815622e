import { type ErrorCode, isRlmError, RlmError } from '@rlm/errors'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  createRateLimiter,
  createScripted,
  withRateLimit,
  withRetry,
  withTimeout,
  wrapModel,
} from '../src/index.ts'

const ask = { messages: [{ role: 'user' as const, content: 'hi' }] }
const retryable = (code: ErrorCode = 'E_PROVIDER_UNAVAILABLE', details: Record<string, unknown> = {}) =>
  new RlmError(code, 'scripted failure', { isRetryable: true, details: { provider: 'scripted', ...details } })
const caught = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => (isRlmError(e) ? e : Promise.reject(e)),
  )

afterEach(() => {
  vi.useRealTimers()
})

describe('withRetry', () => {
  it('retries retryable errors with growing delays, then returns the answer', async () => {
    const model = createScripted([retryable(), retryable(), 'third time'])
    const t0 = performance.now()
    const r = await withRetry(model, { maxRetries: 2, initialDelayMs: 20 }).generate(ask)
    expect(r.text).toBe('third time')
    expect(model.requests).toHaveLength(3)
    // jittered delays: [10,20) then [20,40) ms
    expect(performance.now() - t0).toBeGreaterThanOrEqual(29)
  })

  it('does not retry errors that are not retryable', async () => {
    const model = createScripted([new RlmError('E_PROVIDER_AUTH', 'bad key'), 'never'])
    const err = await caught(withRetry(model, { maxRetries: 3, initialDelayMs: 1 }).generate(ask))
    expect(err?.code).toBe('E_PROVIDER_AUTH')
    expect(model.requests).toHaveLength(1)
  })

  it('waits the retry-after the server asked for instead of its own backoff', async () => {
    const model = createScripted([retryable('E_PROVIDER_RATE_LIMIT', { retryAfterMs: 120 }), 'ok'])
    const t0 = performance.now()
    await withRetry(model, { initialDelayMs: 1 }).generate(ask)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(115)
  })

  it('gives up at once when retry-after is longer than maxRetryAfterMs', async () => {
    const model = createScripted([retryable('E_PROVIDER_RATE_LIMIT', { retryAfterMs: 3_600_000 }), 'ok'])
    const err = await caught(withRetry(model, { maxRetryAfterMs: 60_000 }).generate(ask))
    expect(err?.code).toBe('E_PROVIDER_RATE_LIMIT')
    expect(model.requests).toHaveLength(1)
  })

  it('stops backing off when the caller aborts', async () => {
    vi.useFakeTimers()
    const model = createScripted([retryable(), 'ok'])
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 20)
    const settled = caught(
      withRetry(model, { initialDelayMs: 10_000 }).generate({ ...ask, abortSignal: controller.signal }),
    )
    // 20 ms of (fake) time, far short of the 5-10 s backoff: the abort alone ends the wait.
    await vi.advanceTimersByTimeAsync(20)
    expect((await settled)?.code).toBe('E_PROVIDER_ABORTED')
    expect(model.requests).toHaveLength(1)
  })
})

describe('withTimeout', () => {
  it('turns a slow attempt into a retryable E_PROVIDER_TIMEOUT', async () => {
    const err = await caught(withTimeout(createScripted(['late'], { latencyMs: 1000 }), 30).generate(ask))
    expect(err?.code).toBe('E_PROVIDER_TIMEOUT')
    expect(err?.isRetryable).toBe(true)
  })

  it('reports the caller’s own abort as E_PROVIDER_ABORTED, not a timeout', async () => {
    const model = withTimeout(createScripted(['late'], { latencyMs: 1000 }), 500)
    const err = await caught(model.generate({ ...ask, abortSignal: AbortSignal.timeout(20) }))
    expect(err?.code).toBe('E_PROVIDER_ABORTED')
  })

  it('settles on time even when the model ignores the abort signal, and wrapModel retries it', async () => {
    vi.useFakeTimers()
    const model = createScripted(async (_request, index) => {
      if (index === 0) await new Promise((resolve) => setTimeout(resolve, 60_000))
      return index === 0 ? 'too late' : 'fast'
    })
    const r = wrapModel(model, { timeoutMs: 50, maxRetries: 1, initialDelayMs: 1 }).generate(ask)
    // 50 ms timeout plus at most 1 ms of backoff; the first attempt would need 60 s.
    await vi.advanceTimersByTimeAsync(51)
    expect((await r).text).toBe('fast')
    expect(model.requests).toHaveLength(2)
  })
})

describe('rate limiting', () => {
  it('queues calls beyond requestsPerMinute until the window frees up, in order', async () => {
    vi.useFakeTimers()
    const model = withRateLimit(
      createScripted((r) => r.messages[0]?.content ?? ''),
      { requestsPerMinute: 2, windowMs: 150 },
    )
    const done: string[] = []
    const all = Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((content) =>
        model.generate({ messages: [{ role: 'user', content }] }).then((r) => done.push(r.text)),
      ),
    )
    await vi.advanceTimersByTimeAsync(0)
    expect(done).toEqual(['a', 'b'])
    await vi.advanceTimersByTimeAsync(149)
    expect(done).toEqual(['a', 'b'])
    await vi.advanceTimersByTimeAsync(1)
    expect(done).toEqual(['a', 'b', 'c', 'd'])
    await vi.advanceTimersByTimeAsync(150)
    await all
    expect(done).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it('limits tokens per minute using the estimate, then the reported usage', async () => {
    const limiter = createRateLimiter({ tokensPerMinute: 100, windowMs: 150 })
    const model = withRateLimit(
      createScripted(() => ({ text: 'x', usage: { inputTokens: 60, outputTokens: 0 } })),
      limiter,
    )
    const t0 = performance.now()
    await model.generate(ask)
    await model.generate(ask) // estimate (1) fits; actual usage brings the window to 120
    const third = model.generate(ask)
    expect(limiter.pending).toBe(1)
    await third
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145)
  })

  it('lets a queued call leave when its caller aborts', async () => {
    const limiter = createRateLimiter({ requestsPerMinute: 1, windowMs: 10_000 })
    const model = withRateLimit(createScripted(['a', 'b']), limiter)
    await model.generate(ask)
    const err = await caught(model.generate({ ...ask, abortSignal: AbortSignal.timeout(20) }))
    expect(err?.code).toBe('E_PROVIDER_ABORTED')
    expect(limiter.pending).toBe(0)
  })

  it('rejects nonsensical limits with E_CONFIG', () => {
    expect(() => createRateLimiter({ requestsPerMinute: 0 })).toThrow(
      expect.objectContaining({ code: 'E_CONFIG' }),
    )
  })
})
