// Errors the CLI itself raises about its input (flags, files, config): always exit code 2.

import { RlmError } from '@rlm/errors'

export function usageError(message: string, details?: Record<string, unknown>): RlmError {
  return new RlmError('E_USAGE', message, details ? { details } : {})
}
