import { isRlmError, RlmError } from '@rlm/errors'
import { describe, expect, it } from 'vitest'
import {
  createRateLimiter,
  createScripted,
  withRateLimit,
  withRetry,
  withTimeout,
  wrapModel,
} from '../src/index.ts'

const ask = { messages: [{ role: 'user' as const, content: 'hi' }] }
const retryable = (code = 'E_PROVIDER_UNAVAILABLE', details: Record<string, unknown> = {}) =>
  new RlmError(code, 'scripted failure', { isRetryable: true, details: { provider: 'scripted', ...details } })
const caught = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => (isRlmError(e) ? e : Promise.reject(e)),
  )

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
    const model = createScripted([retryable(), 'ok'])
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 20)
    const t0 = performance.now()
    const err = await caught(
      withRetry(model, { initialDelayMs: 10_000 }).generate({ ...ask, abortSignal: controller.signal }),
    )
    expect(err?.code).toBe('E_PROVIDER_ABORTED')
    expect(performance.now() - t0).toBeLessThan(1000)
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
    const model = createScripted(async (_request, index) => {
      if (index === 0) await new Promise((resolve) => setTimeout(resolve, 2000))
      return index === 0 ? 'too late' : 'fast'
    })
    const t0 = performance.now()
    const r = await wrapModel(model, { timeoutMs: 50, maxRetries: 1, initialDelayMs: 1 }).generate(ask)
    expect(r.text).toBe('fast')
    expect(performance.now() - t0).toBeLessThan(1000)
  })
})

describe('rate limiting', () => {
  it('queues calls beyond requestsPerMinute until the window frees up, in order', async () => {
    const model = withRateLimit(
      createScripted((r) => r.messages[0]?.content ?? ''),
      { requestsPerMinute: 2, windowMs: 150 },
    )
    const t0 = performance.now()
    const done: { text: string; at: number }[] = []
    await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((content) =>
        model
          .generate({ messages: [{ role: 'user', content }] })
          .then((r) => done.push({ text: r.text, at: performance.now() - t0 })),
      ),
    )
    expect(done.map((d) => d.text)).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(done[1]?.at).toBeLessThan(140)
    expect(done[2]?.at).toBeGreaterThanOrEqual(145)
    expect(done[4]?.at).toBeGreaterThanOrEqual(295)
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
