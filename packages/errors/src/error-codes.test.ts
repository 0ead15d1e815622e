import { describe, expect, it } from 'vitest'
import { ERROR_CODES, EXIT, exitCodeFor, isErrorCode, RlmError, toErrorCode } from './index.ts'

describe('the error-code registry', () => {
  it('gives every code a one-line meaning, an exit status and whether a retry may succeed', () => {
    const exits = new Set<number | null>([...Object.values(EXIT), null])
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^E_[A-Z][A-Z0-9_]*[A-Z0-9]$/)
      expect(info.meaning, code).toMatch(/^[^\n]{10,120}$/)
      expect(exits.has(info.exit), code).toBe(true)
      expect(info.exit, code).not.toBe(EXIT.ok)
      expect(typeof info.retryable, code).toBe('boolean')
    }
  })

  it('maps each family of codes to its `rlm` exit status; unknown and HTTP-only codes exit 5', () => {
    expect(exitCodeFor('E_CONFIG')).toBe(EXIT.usage)
    expect(exitCodeFor('E_CONTEXT_NOT_FOUND')).toBe(2)
    expect(exitCodeFor('E_EVAL_RESULTS')).toBe(2)
    expect(exitCodeFor('E_PROVIDER_RATE_LIMIT')).toBe(3)
    expect(exitCodeFor('E_CONTEXT_WINDOW')).toBe(3)
    expect(exitCodeFor('E_BUDGET')).toBe(4)
    expect(exitCodeFor('E_LIMIT')).toBe(5)
    expect(exitCodeFor('E_SANDBOX_INIT')).toBe(5)
    expect(exitCodeFor('E_INTERNAL')).toBe(5)
    expect(exitCodeFor('E_PROVIDER_ABORTED')).toBe(130)
    expect(exitCodeFor('E_INTERRUPTED')).toBe(130)
    expect(ERROR_CODES.E_AUTH.exit).toBeNull()
    expect(exitCodeFor('E_AUTH')).toBe(5)
    expect(exitCodeFor('E_NO_SUCH_CODE')).toBe(5)
  })

  it("makes a code's retryability the default of RlmError.isRetryable", () => {
    expect(new RlmError('E_PROVIDER_RATE_LIMIT', 'slow down').isRetryable).toBe(true)
    expect(new RlmError('E_PROVIDER_AUTH', 'bad key').isRetryable).toBe(false)
    expect(new RlmError('E_PROVIDER_UNAVAILABLE', 'refused', { isRetryable: false }).isRetryable).toBe(false)
  })

  it('narrows codes read from outside (traces, JSON) to registered ones', () => {
    expect(isErrorCode('E_DEPTH')).toBe(true)
    expect(isErrorCode('E_NOPE')).toBe(false)
    expect(isErrorCode('toString')).toBe(false)
    expect(toErrorCode('E_DEPTH')).toBe('E_DEPTH')
    expect(toErrorCode('E_NOPE')).toBe('E_INTERNAL')
    expect(toErrorCode(42, 'E_TRACE')).toBe('E_TRACE')
  })

  it('refuses an unregistered code at compile time', () => {
    // @ts-expect-error E_NOPE is not in ERROR_CODES: register a code before throwing it
    const err = new RlmError('E_NOPE', 'unregistered')
    expect(err.isRetryable).toBe(false)
  })
})
