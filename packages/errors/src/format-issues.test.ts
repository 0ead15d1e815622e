import { describe, expect, it } from 'vitest'
import { errorFields, formatIssues, issueDetails, issueLines, RlmError, registerSecret } from './index.ts'

const issues = [
  { path: ['limits', 'maxDepth'], message: 'Too big' },
  { path: [], message: 'Expected object' },
  { path: [0, Symbol.for('s')], message: 'bad' },
  { path: ['x'], code: 'unrecognized_keys', keys: ['a', 'b'], message: 'Unrecognized keys' },
]

describe('formatIssues', () => {
  it('prints path: message, the root for the whole value, and names unknown keys', () => {
    expect(issueLines(issues)).toEqual([
      'limits.maxDepth: Too big',
      'options: Expected object',
      '0.Symbol(s): bad',
      'x: unknown keys "a", "b"',
    ])
    expect(formatIssues(issues.slice(0, 2), { root: 'config', prefix: 'config' })).toBe(
      'config.limits.maxDepth: Too big; config: Expected object',
    )
  })

  it('gives details with string paths', () => {
    expect(issueDetails(issues.slice(0, 2))).toEqual([
      { path: ['limits', 'maxDepth'], message: 'Too big' },
      { path: [], message: 'Expected object' },
    ])
  })
})

describe('errorFields', () => {
  it('keeps an RlmError code, calls anything else E_INTERNAL, and redacts secrets', () => {
    registerSecret('sk-format-issues-secret-123456')
    expect(errorFields(new RlmError('E_LIMIT', 'too many'))).toEqual({ code: 'E_LIMIT', message: 'too many' })
    const fields = errorFields(new Error('key sk-format-issues-secret-123456 refused'))
    expect(fields.code).toBe('E_INTERNAL')
    expect(fields.message).not.toContain('sk-format-issues-secret-123456')
    expect(errorFields('plain')).toEqual({ code: 'E_INTERNAL', message: 'plain' })
  })
})
