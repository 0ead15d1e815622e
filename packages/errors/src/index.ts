export { isRlmError, RlmError, type RlmErrorOptions } from './rlm-error.ts'
