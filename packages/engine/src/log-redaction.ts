// Secret redaction for log arguments. redactValue covers strings, plain objects and arrays; an
// Error is not plain, and its stack and `cause` repeat its message, so each error (at the top or
// one level down, where pino's serializers find them) is replaced by a redacted copy.

import { isRlmError, redactValue } from '@rlm/errors'

const MAX_CAUSES = 8

/** A copy of `error` whose message, stack, details and causes are redacted. */
export function redactedErrorCopy(error: Error, redact: (text: string) => string, depth = 0): Error {
  const copy = new Error(redact(error.message))
  copy.name = error.name
  copy.stack = typeof error.stack === 'string' ? redact(error.stack) : ''
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') Object.assign(copy, { code })
  if (isRlmError(error) && Object.keys(error.details).length > 0)
    Object.assign(copy, { details: redactValue(error.details, redact) })
  if (error.cause !== undefined && depth < MAX_CAUSES) {
    copy.cause =
      error.cause instanceof Error
        ? redactedErrorCopy(error.cause, redact, depth + 1)
        : redactValue(error.cause, redact)
  }
  return copy
}

function redactArg(value: unknown, redact: (text: string) => string): unknown {
  if (value instanceof Error) return redactedErrorCopy(value, redact)
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return redactValue(value, redact)
  let out: Record<string, unknown> | undefined
  for (const [k, v] of Object.entries(value)) {
    if (!(v instanceof Error)) continue
    out ??= { ...(value as Record<string, unknown>) }
    out[k] = redactedErrorCopy(v, redact)
  }
  return redactValue(out ?? value, redact)
}

/** The arguments of one log call (`fields, message, ...format args`), redacted. */
export function redactLogArgs(args: readonly unknown[], redact: (text: string) => string): unknown[] {
  return args.map((a) => redactArg(a, redact))
}
