import { RlmError } from '@rlm/errors'
import { describe, expect, it } from 'vitest'
import { describeError } from '../src/error-report.ts'
import { EXIT, exitCodeFor } from '../src/exit-codes.ts'

describe('exit codes', () => {
  it('map every family of error codes to its documented exit code', () => {
    expect(exitCodeFor('E_CONFIG')).toBe(EXIT.usage)
    expect(exitCodeFor('E_CONTEXT_NOT_FOUND')).toBe(2)
    expect(exitCodeFor('E_PROVIDER_RATE_LIMIT')).toBe(3)
    expect(exitCodeFor('E_CONTEXT_WINDOW')).toBe(3)
    expect(exitCodeFor('E_BUDGET')).toBe(4)
    expect(exitCodeFor('E_SANDBOX_INIT')).toBe(5)
    expect(exitCodeFor('E_INTERNAL')).toBe(5)
    expect(exitCodeFor('E_INTERRUPTED')).toBe(130)
    expect(exitCodeFor('E_ABORTED')).toBe(130)
  })

  it('turn any thrown value into one line with its code, a fix and the exit code', () => {
    const internal = describeError(new TypeError('boom\nat somewhere'))
    expect(internal.exitCode).toBe(5)
    expect(internal.line).toMatch(/^rlm: error E_INTERNAL: boom at somewhere\. To fix: .+ \(exit 5\)$/)
    const sandbox = describeError(new RlmError('E_SANDBOX', 'worker died'))
    expect(sandbox.line).toContain('(exit 5)')
    const usage = describeError(new RlmError('E_USAGE', 'Pass --model.'))
    expect(usage.line).toBe('rlm: error E_USAGE: Pass --model. (exit 2)')
  })
})
