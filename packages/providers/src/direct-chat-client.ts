// A chat-completions client that sends the request body straight over node:http(s) with a
// keep-alive agent, for OpenAI and OpenAI-compatible servers when no custom `fetch` is given.
// The openai SDK's per-call work (header merging, web streams for the body, request options,
// logging plumbing) cost more CPU than the request itself at 200 concurrent calls (bench/e2e
// scenario 13); this does only what a call needs. Failures take the shapes mapProviderError
// reads from the SDK's errors (status + body + headers, socket errors as causes, TimeoutError).
import type * as Http from 'node:http'
import type * as Https from 'node:https'
import { createRequire } from 'node:module'
import type { ChatCompletionsClient } from './chat-completions-model.ts'

// node:http(s) cost ≈ 20 ms to load; take them on the first request, not at import.
const requireBuiltin = createRequire(import.meta.url)

export interface DirectChatClientOptions {
  baseURL: string
  apiKey: string
  /** Extra headers sent with every request (provider settings' `headers`). */
  headers?: Record<string, string> | undefined
}

/** An HTTP error answer, shaped like the SDK's APIError (status, parsed body's `error`, headers). */
export class ChatHttpError extends Error {
  override name = 'ChatHttpError'
  readonly status: number
  readonly error: unknown
  readonly headers: Headers
  constructor(status: number, error: unknown, headers: Headers) {
    super(`HTTP ${status}`)
    this.status = status
    this.error = error
    this.headers = headers
  }
}

/** The call ran past its timeout (mapProviderError reads the name). */
export class ChatTimeoutError extends Error {
  override name = 'TimeoutError'
}

let transport: { http: typeof Http; https: typeof Https; httpAgent: Http.Agent; httpsAgent: Https.Agent }

function getTransport(): typeof transport {
  if (transport === undefined) {
    const http = requireBuiltin('node:http') as typeof Http
    const https = requireBuiltin('node:https') as typeof Https
    const agent = { keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, maxFreeSockets: 1024 }
    transport = { http, https, httpAgent: new http.Agent(agent), httpsAgent: new https.Agent(agent) }
  }
  return transport
}

export function createDirectChatClient(options: DirectChatClientOptions): ChatCompletionsClient {
  const url = new URL(`${options.baseURL.replace(/\/+$/, '')}/chat/completions`)
  const isHttps = url.protocol === 'https:'
  if (!isHttps && url.protocol !== 'http:')
    throw new TypeError(`expected an http(s) baseURL, got ${url.protocol}`)
  const baseHeaders: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    authorization: `Bearer ${options.apiKey}`,
  }
  for (const [key, value] of Object.entries(options.headers ?? {})) baseHeaders[key.toLowerCase()] = value
  return {
    chat: {
      completions: {
        create: (body, callOptions) =>
          post(url, isHttps, baseHeaders, JSON.stringify(body), callOptions ?? {}),
      },
    },
  }
}

function post(
  url: URL,
  isHttps: boolean,
  baseHeaders: Record<string, string>,
  body: string,
  { signal, timeout }: { signal?: AbortSignal; timeout?: number },
): Promise<unknown> {
  if (signal?.aborted) return Promise.reject(signal.reason)
  const t = getTransport()
  const headers = { ...baseHeaders, 'content-length': String(Buffer.byteLength(body)) }
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined
    const onAbort = (): void => {
      req.destroy(signal?.reason ?? new DOMException('aborted', 'AbortError'))
    }
    const settle = (): void => {
      if (timer) clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
    const req = (isHttps ? t.https : t.http).request(
      url,
      { method: 'POST', headers, agent: isHttps ? t.httpsAgent : t.httpAgent },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', (err) => {
          settle()
          reject(err)
        })
        res.on('end', () => {
          settle()
          const text = Buffer.concat(chunks).toString('utf8')
          const status = res.statusCode ?? 0
          if (status >= 200 && status < 300) {
            try {
              resolve(JSON.parse(text))
            } catch (err) {
              reject(err) // a SyntaxError: mapped to E_PROVIDER_BAD_RESPONSE
            }
            return
          }
          reject(new ChatHttpError(status, errorBody(text), responseHeaders(res.headers)))
        })
      },
    )
    req.on('error', (err) => {
      settle()
      reject(err)
    })
    if (timeout !== undefined && Number.isFinite(timeout)) {
      timer = setTimeout(() => req.destroy(new ChatTimeoutError(`no answer after ${timeout} ms`)), timeout)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    req.end(body)
  })
}

/** The body's `error` field when it has one (as the SDK reports it), else the parsed body or its text. */
function errorBody(text: string): unknown {
  try {
    const parsed: unknown = JSON.parse(text)
    const inner = parsed && typeof parsed === 'object' ? (parsed as { error?: unknown }).error : undefined
    return inner ?? parsed
  } catch {
    return text === '' ? undefined : text
  }
}

function responseHeaders(raw: Http.IncomingHttpHeaders): Headers {
  const headers = new Headers()
  for (const [key, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v)
    else if (value !== undefined) headers.set(key, value)
  }
  return headers
}
