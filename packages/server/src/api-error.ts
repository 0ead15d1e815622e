// Errors leave the server in OpenAI's error shape (`{ error: { message, type, param, code } }`, so
// every SDK raises its usual error class) with rlm's stable code in `code`, and an HTTP status
// chosen once here for every code.

import { type ErrorCode, isRlmError, RlmError, redactSecrets } from '@rlm/errors'

/** The body of every error response. */
export interface ApiErrorBody {
  error: {
    message: string
    /** OpenAI's error type: invalid_request_error, authentication_error, rate_limit_error, ... */
    type: string
    /** The request field at fault, when there is one. */
    param: string | null
    /** rlm's stable error code (E_CONFIG, E_AUTH, E_CAPACITY, E_PROVIDER_AUTH, ...). */
    code: string
  }
}

/** An error with the HTTP status it is answered with (and headers such as Retry-After). */
export class ApiError extends RlmError {
  readonly status: number
  readonly param: string | null
  readonly headers: Record<string, string>

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    options: { param?: string; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(code, message, options.cause === undefined ? {} : { cause: options.cause })
    this.status = status
    this.param = options.param ?? null
    this.headers = options.headers ?? {}
  }
}

const CLIENT_CODES = new Set([
  'E_CONFIG',
  'E_USAGE',
  'E_CONTEXT_NOT_FOUND',
  'E_CONTEXT_EMPTY',
  'E_CONTEXT_INPUT',
  'E_BAD_PATTERN',
  'E_CONTEXT_WINDOW',
])

/** The HTTP status of an rlm error code that is not an ApiError (run failures, engine input errors). */
export function statusForCode(code: string): number {
  if (CLIENT_CODES.has(code)) return 400
  if (code === 'E_CONTEXT_TOO_LARGE') return 413
  if (code === 'E_ABORTED' || code === 'E_INTERRUPTED') return 409
  // The upstream model failed after rlm's own retries: a gateway error, not ours.
  if (code.startsWith('E_PROVIDER')) return 502
  return 500
}

function typeForStatus(status: number): string {
  if (status === 401) return 'authentication_error'
  if (status === 403) return 'permission_error'
  if (status === 404) return 'not_found_error'
  if (status === 409) return 'conflict_error'
  if (status === 429) return 'rate_limit_error'
  if (status >= 500) return 'server_error'
  return 'invalid_request_error'
}

export interface ErrorReply {
  status: number
  body: ApiErrorBody
  headers: Record<string, string>
}

/** Any thrown value as the response the client gets; internal errors keep their stack on the server. */
export function errorReply(err: unknown): ErrorReply {
  if (err instanceof ApiError) {
    return {
      status: err.status,
      headers: err.headers,
      body: errorBody(err.status, err.code, err.message, err.param),
    }
  }
  if (isRlmError(err)) {
    const status = statusForCode(err.code)
    return { status, headers: {}, body: errorBody(status, err.code, err.message, null) }
  }
  return {
    status: 500,
    headers: {},
    body: errorBody(500, 'E_INTERNAL', 'The server failed while handling this request; see its log.', null),
  }
}

export function errorBody(status: number, code: string, message: string, param: string | null): ApiErrorBody {
  return { error: { message: redactSecrets(message), type: typeForStatus(status), param, code } }
}

/** The reply for a run that ended in error: the run already retried, so SDKs must not start another. */
export function runFailureReply(error: { code: string; message: string }): ErrorReply {
  const status = statusForCode(error.code)
  return {
    status,
    headers: { 'x-should-retry': 'false' },
    body: errorBody(status, error.code, error.message, null),
  }
}

export const notFound = (what: string): ApiError => new ApiError(404, 'E_NOT_FOUND', what)
