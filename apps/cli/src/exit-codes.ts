// The process exit codes of `rlm`, and how an error code (RlmError.code) maps onto them. Scripts
// branch on these numbers, so they never change meaning.

export const EXIT = {
  ok: 0,
  usage: 2,
  provider: 3,
  budget: 4,
  internal: 5,
  interrupted: 130,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

const USAGE_CODES = new Set([
  'E_USAGE',
  'E_CONFIG',
  'E_CONTEXT_NOT_FOUND',
  'E_CONTEXT_EMPTY',
  'E_CONTEXT_INPUT',
  'E_CONTEXT_TOO_LARGE',
  'E_BAD_PATTERN',
  'E_TRACE',
])

/** Exit code for an error code from any rlm package. */
export function exitCodeFor(code: string): ExitCode {
  if (USAGE_CODES.has(code)) return EXIT.usage
  if (code.startsWith('E_PROVIDER') || code === 'E_CONTEXT_WINDOW') {
    return code === 'E_PROVIDER_ABORTED' ? EXIT.interrupted : EXIT.provider
  }
  if (code === 'E_BUDGET') return EXIT.budget
  if (code === 'E_ABORTED' || code === 'E_INTERRUPTED') return EXIT.interrupted
  return EXIT.internal
}
