import { describe, expect, it } from 'vitest'
import { isRlmError, RlmError } from './index.ts'

describe('RlmError', () => {
  it('carries a stable code, retryability, details and cause', () => {
    const cause = new Error('socket hang up')
    const err = new RlmError('E_PROVIDER_UNAVAILABLE', 'Is Ollama running?', {
      cause,
      isRetryable: true,
      details: { status: 503 },
    })
    expect(err).toBeInstanceOf(Error)
    expect(err.code).toBe('E_PROVIDER_UNAVAILABLE')
    expect(err.isRetryable).toBe(true)
    expect(err.details).toEqual({ status: 503 })
    expect(err.cause).toBe(cause)
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({
      code: 'E_PROVIDER_UNAVAILABLE',
      message: 'Is Ollama running?',
    })
  })

  it('is recognised by brand, not by class identity', () => {
    expect(isRlmError(new RlmError('E_CONFIG', 'bad'))).toBe(true)
    expect(isRlmError(new Error('plain'))).toBe(false)
    expect(isRlmError({ code: 'E_CONFIG' })).toBe(false)
    expect(isRlmError(null)).toBe(false)
  })
})
