// The one error class every rlm package throws: a stable string `code` that programs and the CLI
// branch on, a message that says what to do, and the original `cause`.

import { ERROR_CODES, type ErrorCode } from './error-codes.ts'

const brand = Symbol.for('rlm.error')

export interface RlmErrorOptions {
  cause?: unknown
  /** True when repeating the same call may succeed (rate limits, timeouts, 5xx); defaults to the code's `retryable`. */
  isRetryable?: boolean
  /** Extra machine-readable facts (status code, provider, limit name, ...). */
  details?: Record<string, unknown>
}

export class RlmError extends Error {
  readonly code: ErrorCode
  readonly isRetryable: boolean
  readonly details: Record<string, unknown>

  constructor(code: ErrorCode, message: string, options: RlmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'RlmError'
    this.code = code
    // `?.`: JavaScript callers are not held to the union.
    this.isRetryable = options.isRetryable ?? (ERROR_CODES[code]?.retryable as boolean | undefined) ?? false
    this.details = options.details ?? {}
    Object.defineProperty(this, brand, { value: true })
  }

  toJSON(): {
    name: string
    code: ErrorCode
    message: string
    isRetryable: boolean
    details: Record<string, unknown>
  } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      isRetryable: this.isRetryable,
      details: this.details,
    }
  }
}

/** True for any RlmError, even one created by another copy of this package. */
export function isRlmError(value: unknown): value is RlmError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true
}
