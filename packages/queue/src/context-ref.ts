// Turns a job's context reference into what the engine runs over: inline text as is, paths read
// from storage every worker shares, a URL only when the worker's allowlist names its prefix.
import type { ContextInput } from '@rlm/engine'
import { RlmError } from '@rlm/errors'
import type { ContextRef } from './job-schema.ts'
import { QUEUE_ERROR_CODES, queueError } from './queue-errors.ts'

export interface ContextRefOptions {
  /** URL prefixes a `url` context may start with (default: none, so url contexts are refused). */
  urlAllowlist?: readonly string[]
  /** Largest body read from a URL, in bytes (default 64 MiB). */
  maxUrlBytes?: number
  fetch?: typeof fetch
}

const DEFAULT_MAX_URL_BYTES = 64 * 1024 * 1024

export async function resolveContextRef(
  ref: ContextRef,
  options: ContextRefOptions,
  signal?: AbortSignal,
): Promise<ContextInput> {
  switch (ref.kind) {
    case 'inline':
      return ref.text
    case 'paths': {
      const { loadContext } = await import('@rlm/context')
      return loadContext({ paths: ref.paths })
    }
    case 'url':
      return readUrl(ref.url, options, signal)
  }
}

async function readUrl(url: string, options: ContextRefOptions, signal?: AbortSignal): Promise<string> {
  const allowed = (options.urlAllowlist ?? []).some((prefix) => url.startsWith(prefix))
  if (!allowed) {
    throw queueError(
      QUEUE_ERROR_CODES.urlNotAllowed,
      `This worker may not read ${url}: add its prefix to the worker's urlAllowlist (e.g. '${new URL(url).origin}/').`,
      { url },
    )
  }
  const max = options.maxUrlBytes ?? DEFAULT_MAX_URL_BYTES
  const response = await (options.fetch ?? fetch)(url, signal ? { signal } : {}).catch((cause: unknown) => {
    throw new RlmError('E_CONTEXT_NOT_FOUND', `Could not read the context at ${url}: ${String(cause)}`, {
      cause,
      isRetryable: true,
    })
  })
  if (!response.ok) {
    throw new RlmError('E_CONTEXT_NOT_FOUND', `The context URL ${url} answered ${response.status}.`, {
      isRetryable: response.status >= 500,
      details: { url, status: response.status },
    })
  }
  const declared = Number(response.headers.get('content-length') ?? 0)
  if (declared > max) throw tooLarge(url, max)
  const body = Buffer.from(await response.arrayBuffer())
  if (body.byteLength > max) throw tooLarge(url, max)
  return body.toString('utf8')
}

function tooLarge(url: string, max: number): RlmError {
  return queueError(
    QUEUE_ERROR_CODES.contextTooLarge,
    `The context at ${url} is over the worker's maxUrlBytes (${max}).`,
    { url, max },
  )
}
