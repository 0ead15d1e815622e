import { RlmError } from '@rlm/errors'
import { describe, expect, it } from 'vitest'
import { describeError } from '../src/error-report.ts'

describe('exit codes', () => {
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
