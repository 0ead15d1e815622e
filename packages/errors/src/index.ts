export {
  ERROR_CODES,
  type ErrorCode,
  type ErrorCodeInfo,
  EXIT,
  type ExitCode,
  exitCodeFor,
  isErrorCode,
  toErrorCode,
} from './error-codes.ts'
export { errorFields } from './error-fields.ts'
export {
  type FormatIssuesOptions,
  formatIssues,
  type IssueLike,
  issueDetails,
  issueLines,
} from './format-issues.ts'
export {
  KEY_ENV_VARS,
  type KeyEnvVar,
  REDACTED,
  redactError,
  redactSecrets,
  redactValue,
  registerSecret,
  secretRedactor,
} from './redact-secrets.ts'
export { isRlmError, RlmError, type RlmErrorOptions } from './rlm-error.ts'
