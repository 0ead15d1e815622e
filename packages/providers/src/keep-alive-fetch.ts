// A `fetch` over node:http(s) with a keep-alive Agent and no socket cap, for the JSON
// request/response calls providers make. It reads the whole body before resolving (no
// streaming), which is what keeps it cheap; bench/index.ts compares it with the global fetch.
import type * as Http from 'node:http'
import type * as Https from 'node:https'
import { createRequire } from 'node:module'

// node:http(s) cost ≈ 20 ms to load; take them on the first request, not at import.
const requireBuiltin = createRequire(import.meta.url)

export interface KeepAliveFetchOptions {
  /** Idle sockets kept open per host between bursts (default 1024); concurrency is never capped. */
  maxFreeSockets?: number
}

type Body = string | Uint8Array | undefined

function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {}
  if (headers === undefined) return out
  if (headers instanceof Headers) {
    headers.forEach((value, key) => {
      out[key] = value
    })
  } else if (Array.isArray(headers)) {
    for (const [key, value] of headers) out[key.toLowerCase()] = value as string
  } else {
    for (const [key, value] of Object.entries(headers))
      if (value !== undefined) out[key.toLowerCase()] = value
  }
  return out
}

export function createKeepAliveFetch(options: KeepAliveFetchOptions = {}): typeof globalThis.fetch {
  const agentOptions = {
    keepAlive: true,
    maxSockets: Number.POSITIVE_INFINITY,
    maxFreeSockets: options.maxFreeSockets ?? 1024,
  }
  let http: typeof Http
  let https: typeof Https
  let httpAgent: Http.Agent
  let httpsAgent: Https.Agent

  return async function keepAliveFetch(input, init) {
    if (httpAgent === undefined) {
      http = requireBuiltin('node:http')
      https = requireBuiltin('node:https')
      httpAgent = new http.Agent(agentOptions)
      httpsAgent = new https.Agent(agentOptions)
    }
    let url: URL
    let method: string
    let headers: Record<string, string>
    let body: Body
    const simpleBody = init?.body == null || typeof init.body === 'string' || init.body instanceof Uint8Array
    if ((typeof input === 'string' || input instanceof URL) && simpleBody) {
      url = new URL(input)
      method = init?.method ?? 'GET'
      headers = plainHeaders(init?.headers)
      body = (init?.body ?? undefined) as Body
    } else {
      // Anything unusual (Request objects, streams, FormData) goes through the standard parser.
      const request = new Request(input, init)
      url = new URL(request.url)
      method = request.method
      headers = plainHeaders(request.headers)
      body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer())
    }
    const isHttps = url.protocol === 'https:'
    if (!isHttps && url.protocol !== 'http:')
      throw new TypeError(`keep-alive fetch supports http(s) only, got ${url.protocol}`)
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body))
    const signal = init?.signal ?? undefined
    if (signal?.aborted) throw abortReason(signal)
    return await new Promise<Response>((resolve, reject) => {
      const req = (isHttps ? https : http).request(
        url,
        { method, headers, agent: isHttps ? httpsAgent : httpAgent, signal },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('error', (err) => reject(networkError(err, signal)))
          res.on('end', () => {
            const responseHeaders = new Headers()
            for (const [key, value] of Object.entries(res.headers)) {
              if (Array.isArray(value)) for (const v of value) responseHeaders.append(key, v)
              else if (value !== undefined) responseHeaders.set(key, value)
            }
            const status = res.statusCode ?? 0
            const noBody = status === 204 || status === 304 || method === 'HEAD'
            resolve(
              new Response(noBody ? null : Buffer.concat(chunks), {
                status,
                statusText: res.statusMessage ?? '',
                headers: responseHeaders,
              }),
            )
          })
        },
      )
      req.on('error', (err) => reject(networkError(err, signal)))
      req.end(body)
    })
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError')
}

// fetch reports network failures as TypeError('fetch failed') with the socket error as cause;
// the SDKs rely on that shape to tell connection errors from the rest.
function networkError(err: Error, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return abortReason(signal)
  if (err.name === 'AbortError') return new DOMException('This operation was aborted', 'AbortError')
  return new TypeError('fetch failed', { cause: err })
}

let shared: typeof globalThis.fetch | undefined

/** The transport built-in providers use when settings.fetch is not given. */
export function defaultFetch(): typeof globalThis.fetch {
  shared ??= createKeepAliveFetch()
  return shared
}
