// The one error class every rlm package throws: a stable string `code` that programs and the CLI
// branch on, a message that says what to do, and the original `cause`.

const brand = Symbol.for('rlm.error')

export interface RlmErrorOptions {
  cause?: unknown
  /** True when repeating the same call may succeed (rate limits, timeouts, 5xx). */
  isRetryable?: boolean
  /** Extra machine-readable facts (status code, provider, limit name, ...). */
  details?: Record<string, unknown>
}

export class RlmError extends Error {
  readonly code: string
  readonly isRetryable: boolean
  readonly details: Record<string, unknown>

  constructor(code: string, message: string, options: RlmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'RlmError'
    this.code = code
    this.isRetryable = options.isRetryable ?? false
    this.details = options.details ?? {}
    Object.defineProperty(this, brand, { value: true })
  }

  toJSON(): {
    name: string
    code: string
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
