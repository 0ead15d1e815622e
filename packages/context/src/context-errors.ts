// Stable error and warning codes of @rlm/context, so callers and the CLI can branch on them.
import { RlmError } from '@rlm/errors'

export const ContextErrorCode = {
  notFound: 'E_CONTEXT_NOT_FOUND',
  tooLarge: 'E_CONTEXT_TOO_LARGE',
  empty: 'E_CONTEXT_EMPTY',
  badPattern: 'E_BAD_PATTERN',
  badInput: 'E_CONTEXT_INPUT',
  /** A result budget (maxResultChars, maxChunks) would be exceeded. */
  limit: 'E_LIMIT',
  /** An async search or chunk was cancelled by its signal. */
  aborted: 'E_ABORTED',
  /** Valid JavaScript regex syntax the linear-time engine cannot run (lookaround, backreferences). */
  unsupported: 'E_UNSUPPORTED',
} as const

/** Something the loader skipped or repaired; nothing is dropped silently. */
export interface ContextWarning {
  code:
    | 'W_BINARY_SKIPPED'
    | 'W_FILE_TOO_LARGE_SKIPPED'
    | 'W_INVALID_UTF8'
    | 'W_UNREADABLE_SKIPPED'
    | 'W_SYMLINK_OUTSIDE_SKIPPED'
    | 'W_SPECIAL_FILE_SKIPPED'
  message: string
  path?: string
  /** For W_INVALID_UTF8: how many invalid sequences were replaced by U+FFFD. */
  count?: number
}

export function tooLargeError(limit: number, got: string): RlmError {
  return new RlmError(
    ContextErrorCode.tooLarge,
    `Context exceeds maxBytes (${limit} bytes of UTF-8): ${got}. Raise it with loadContext(input, { maxBytes }) or load fewer files.`,
    { details: { limit: 'maxBytes', maxBytes: limit } },
  )
}
