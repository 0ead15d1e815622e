// The queue's stable error codes, and which run errors are worth another attempt: a job that
// failed for a reason that will not change (bad config, bad key, cancelled) is dead at once.
import { RlmError } from '@rlm/errors'

export const QUEUE_ERROR_CODES = {
  /** A job read from Redis does not match the job schema (written by another version or by hand). */
  badJob: 'E_QUEUE_BAD_JOB',
  /** The job's journal was written under another engine PROMPT_VERSION: replaying it would diverge. */
  promptVersion: 'E_QUEUE_PROMPT_VERSION',
  /** A `url` context outside the worker's allowlist. */
  urlNotAllowed: 'E_QUEUE_URL_NOT_ALLOWED',
  /** An inline context over the size cap. */
  contextTooLarge: 'E_QUEUE_CONTEXT_TOO_LARGE',
  /** Redis did not answer (the CLI checks the connection before it waits on BullMQ). */
  redis: 'E_QUEUE_REDIS',
  /** The queue or worker was used after close(). */
  closed: 'E_QUEUE_CLOSED',
  /** No job with that id (never submitted, or removed by retention). */
  notFound: 'E_QUEUE_NOT_FOUND',
  /** A stalled job was handed back more often than its attempts allow (workers kept dying). */
  stalled: 'E_QUEUE_STALLED',
} as const

export type QueueErrorCode = (typeof QUEUE_ERROR_CODES)[keyof typeof QUEUE_ERROR_CODES]

/** Codes that another attempt cannot fix: the job goes to the dead letters immediately. */
const FINAL_CODES = new Set<string>([
  'E_CONFIG',
  'E_USAGE',
  'E_ABORTED',
  'E_INTERRUPTED',
  'E_PROVIDER_AUTH',
  'E_PROVIDER_BAD_REQUEST',
  'E_CONTEXT_NOT_FOUND',
  'E_CONTEXT_EMPTY',
  'E_CONTEXT_TOO_LARGE',
  'E_CONTEXT_INPUT',
  QUEUE_ERROR_CODES.badJob,
  QUEUE_ERROR_CODES.promptVersion,
  QUEUE_ERROR_CODES.urlNotAllowed,
  QUEUE_ERROR_CODES.contextTooLarge,
])

export function isFinalCode(code: string): boolean {
  return FINAL_CODES.has(code)
}

export function queueError(
  code: QueueErrorCode,
  message: string,
  details?: Record<string, unknown>,
): RlmError {
  return new RlmError(code, message, details ? { details } : {})
}
