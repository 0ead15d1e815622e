// The one normaliser from "anything thrown" to what events, markers and results carry: a code and
// a message with every registered secret redacted.
import type { ErrorCode } from './error-codes.ts'
import { redactSecrets } from './redact-secrets.ts'
import { isRlmError } from './rlm-error.ts'

/** `{ code, message }` of any thrown value: an RlmError keeps its code, anything else is E_INTERNAL. */
export function errorFields(cause: unknown): { code: ErrorCode; message: string } {
  if (isRlmError(cause)) return { code: cause.code, message: redactSecrets(cause.message) }
  return {
    code: 'E_INTERNAL',
    message: redactSecrets(cause instanceof Error ? cause.message : String(cause)),
  }
}
