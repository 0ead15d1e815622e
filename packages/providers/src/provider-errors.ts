// Turns whatever a provider call failed with (SDK error, HTTP status, socket error, bad body)
// into an RlmError with a stable code, `isRetryable`, and the facts in `details`.
import { isRlmError, RlmError, redactSecrets, redactValue } from '@rlm/errors'

export const PROVIDER_ERROR_CODES = [
  'E_PROVIDER_AUTH',
  'E_PROVIDER_RATE_LIMIT',
  'E_PROVIDER_TIMEOUT',
  'E_PROVIDER_UNAVAILABLE',
  'E_PROVIDER_BAD_RESPONSE',
  'E_PROVIDER_BAD_REQUEST',
  'E_PROVIDER_ABORTED',
  'E_CONTEXT_WINDOW',
  'E_CONFIG',
] as const
export type ProviderErrorCode = (typeof PROVIDER_ERROR_CODES)[number]

/** What the mapper needs to know to write a useful message. */
export interface ProviderErrorContext {
  provider: string
  modelId?: string
  baseURL?: string
  /** Environment variable that holds this provider's key, named in auth errors. */
  apiKeyEnv?: string
  /** Extra hint for connection failures, e.g. "is Ollama running at http://localhost:11434?". */
  unavailableHint?: string
}

const CONTEXT_WINDOW_PATTERN =
  /context[_ ]length|context window|maximum context|prompt is too long|too many tokens|reduce the length|input is too long|exceeds the (?:model's )?(?:maximum|context)/i

export function providerError(
  code: ProviderErrorCode,
  message: string,
  ctx: ProviderErrorContext,
  extra: {
    status?: number
    retryAfterMs?: number
    isRetryable?: boolean
    cause?: unknown
    body?: unknown
  } = {},
): RlmError {
  const details: Record<string, unknown> = { provider: ctx.provider }
  if (ctx.modelId !== undefined) details.modelId = ctx.modelId
  if (extra.status !== undefined) details.status = extra.status
  if (extra.retryAfterMs !== undefined) details.retryAfterMs = extra.retryAfterMs
  // Servers echo what they were sent (the key among it) in error bodies: redacted at the source.
  if (extra.body !== undefined) details.body = redactValue(extra.body)
  return new RlmError(code, redactSecrets(message), {
    cause: extra.cause,
    isRetryable: extra.isRetryable, // unset: the code's default from ERROR_CODES
    details,
  })
}

/** Reads `retry-after-ms` / `retry-after` (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(
  headers: Headers | Record<string, string> | undefined,
  now = Date.now(),
): number | undefined {
  if (!headers) return undefined
  const get = (name: string): string | null =>
    headers instanceof Headers ? headers.get(name) : (headers[name] ?? headers[name.toLowerCase()] ?? null)
  const ms = get('retry-after-ms')
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms))
  const value = get('retry-after')
  if (value === null || value.trim() === '') return undefined
  if (Number.isFinite(Number(value))) return Math.max(0, Number(value) * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

function bodyMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.slice(0, 500)
  if (body && typeof body === 'object') {
    const o = body as Record<string, unknown>
    const inner = (o.error ?? o) as unknown
    if (typeof inner === 'string') return inner
    if (
      inner &&
      typeof inner === 'object' &&
      typeof (inner as Record<string, unknown>).message === 'string'
    ) {
      return (inner as Record<string, string>).message
    }
    if (typeof o.message === 'string') return o.message
  }
  return undefined
}

/** Maps an HTTP error status (and the body the server sent) to an RlmError. */
export function errorFromStatus(
  status: number,
  body: unknown,
  headers: Headers | Record<string, string> | undefined,
  ctx: ProviderErrorContext,
  cause?: unknown,
): RlmError {
  const said = bodyMessage(body)
  const suffix = said ? `: ${said}` : ''
  const where = `${ctx.provider}${ctx.modelId ? ` (${ctx.modelId})` : ''}`
  const base = { status, cause, body }
  if (status === 401 || status === 403) {
    const fix = ctx.apiKeyEnv
      ? `set ${ctx.apiKeyEnv} or pass apiKey in the provider settings`
      : 'check the apiKey in the provider settings'
    return providerError(
      'E_PROVIDER_AUTH',
      `${where} rejected the credentials (HTTP ${status})${suffix}; ${fix}.`,
      ctx,
      base,
    )
  }
  if (status === 429) {
    return providerError(
      'E_PROVIDER_RATE_LIMIT',
      `${where} is rate limiting requests (HTTP 429)${suffix}.`,
      ctx,
      {
        ...base,
        isRetryable: true,
        retryAfterMs: parseRetryAfter(headers),
      },
    )
  }
  if (status === 408) {
    return providerError('E_PROVIDER_TIMEOUT', `${where} timed out the request (HTTP 408)${suffix}.`, ctx, {
      ...base,
      isRetryable: true,
    })
  }
  if (
    status === 413 ||
    ((status === 400 || status === 422) && said !== undefined && CONTEXT_WINDOW_PATTERN.test(said))
  ) {
    return providerError(
      'E_CONTEXT_WINDOW',
      `The prompt does not fit the context window of ${where} (HTTP ${status})${suffix}; send fewer tokens.`,
      ctx,
      base,
    )
  }
  if (status >= 500) {
    return providerError('E_PROVIDER_UNAVAILABLE', `${where} failed with HTTP ${status}${suffix}.`, ctx, {
      ...base,
      isRetryable: true,
      retryAfterMs: parseRetryAfter(headers),
    })
  }
  return providerError(
    'E_PROVIDER_BAD_REQUEST',
    `${where} refused the request (HTTP ${status})${suffix}.`,
    ctx,
    base,
  )
}

function causeCodes(err: unknown): string[] {
  const codes: string[] = []
  let e: unknown = err
  for (let i = 0; i < 6 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') codes.push(code)
    const errors = (e as { errors?: unknown }).errors
    if (Array.isArray(errors)) for (const sub of errors) codes.push(...causeCodes(sub))
    e = (e as { cause?: unknown }).cause
  }
  return codes
}

/** Errors from fetch or sockets: refused, reset, DNS, TLS. */
export function connectionError(err: unknown, ctx: ProviderErrorContext): RlmError {
  const codes = causeCodes(err)
  const refused = codes.includes('ECONNREFUSED') || codes.includes('ENOTFOUND')
  const at = ctx.baseURL ? ` at ${ctx.baseURL}` : ''
  const hint = ctx.unavailableHint ?? `is the server running${at}?`
  const what = refused ? 'could not connect' : 'lost the connection'
  return providerError(
    'E_PROVIDER_UNAVAILABLE',
    `${ctx.provider} ${what}${at} (${codes[0] ?? 'network error'}): ${hint}`,
    ctx,
    {
      cause: err,
      // A refused connection will not heal in a second or two; a reset often does.
      isRetryable: !refused,
    },
  )
}

export function abortError(ctx: ProviderErrorContext, cause?: unknown): RlmError {
  return providerError('E_PROVIDER_ABORTED', `The ${ctx.provider} call was aborted by the caller.`, ctx, {
    cause,
  })
}

export function timeoutError(
  ctx: ProviderErrorContext,
  timeoutMs: number | undefined,
  cause?: unknown,
): RlmError {
  const after = timeoutMs === undefined ? '' : ` after ${timeoutMs} ms`
  return providerError(
    'E_PROVIDER_TIMEOUT',
    `${ctx.provider} did not answer${after}; raise timeoutMs or check the server.`,
    ctx,
    { cause, isRetryable: true },
  )
}

export function badResponseError(
  ctx: ProviderErrorContext,
  what: string,
  raw?: unknown,
  cause?: unknown,
): RlmError {
  return providerError(
    'E_PROVIDER_BAD_RESPONSE',
    `${ctx.provider} sent a response rlm cannot use: ${what}.`,
    ctx,
    {
      cause,
      body: raw,
    },
  )
}

/** Duck-typed view of the Stainless SDK errors (openai, @anthropic-ai/sdk, groq-sdk share the shape). */
interface SdkErrorShape {
  name?: string
  status?: number
  headers?: Headers
  error?: unknown
  constructor: { name: string }
}

/**
 * Maps an error thrown by one of the vendor SDKs (or by fetch, or by our own validation) to an
 * RlmError. `signal` tells a caller's abort apart from a timeout.
 */
export function mapProviderError(
  err: unknown,
  ctx: ProviderErrorContext,
  opts: { signal?: AbortSignal; timeoutMs?: number } = {},
): RlmError {
  if (isRlmError(err)) return err
  if (opts.signal?.aborted) return abortError(ctx, err)
  const e = (err ?? {}) as SdkErrorShape
  const kind = `${e.constructor?.name ?? ''} ${e.name ?? ''}`
  if (/UserAbort|AbortError/.test(kind)) return abortError(ctx, err)
  if (/ConnectionTimeout|TimeoutError/.test(kind)) return timeoutError(ctx, opts.timeoutMs, err)
  if (typeof e.status === 'number') return errorFromStatus(e.status, e.error, e.headers, ctx, err)
  if (/APIConnectionError/.test(kind) || causeCodes(err).some((c) => /^E[A-Z]+$|^UND_ERR/.test(c))) {
    if (causeCodes(err).some((c) => /TIMEOUT/.test(c))) return timeoutError(ctx, opts.timeoutMs, err)
    return connectionError(err, ctx)
  }
  if (err instanceof SyntaxError)
    return badResponseError(ctx, `the body is not valid JSON (${err.message})`, undefined, err)
  const message = err instanceof Error ? err.message : String(err)
  return badResponseError(ctx, message, undefined, err)
}
