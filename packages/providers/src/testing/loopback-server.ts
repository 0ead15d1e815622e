// In-process HTTP servers on 127.0.0.1 that speak a provider's wire format with scripted
// replies, latency and injected faults, and record every request: for tests and benchmarks.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FinishReason, Usage } from '../spec.ts'
import {
  anthropicMessagesWire,
  groqChatWire,
  openAIChatWire,
  type ParsedWireRequest,
  type WireFormat,
} from './wire-formats.ts'

/** An HTTP error answer in the wire's own error shape. */
export interface StatusFault {
  status: number
  message?: string
  headers?: Record<string, string>
  /** Replaces the wire's error body. */
  body?: unknown
}

/** Broken answers: a 200 with invalid JSON, a 200 with no usable content, a reset socket, no answer at all. */
export interface TransportFault {
  fault: 'malformed-json' | 'empty' | 'reset' | 'hang'
}

export type ServerReply =
  | string
  | { text: string; usage?: Partial<Usage>; finishReason?: FinishReason; delayMs?: number }
  | StatusFault
  | TransportFault

export interface ReceivedRequest extends ParsedWireRequest {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  /** The parsed JSON body (or the raw text when it was not JSON). */
  body: unknown
  /** 0-based order of arrival. */
  index: number
  /** When the request arrived (Date.now()). */
  receivedAt: number
}

export interface LoopbackServerOptions {
  /** Replies in order, or a function of the request. Default: echoes the last user message. */
  replies?: ServerReply[] | ((request: ReceivedRequest) => ServerReply | Promise<ServerReply>)
  /** Served first, one per request, before any reply (e.g. a 429 then success). */
  faults?: ServerReply[]
  /** Delay before every answer. */
  latencyMs?: number
  /** When set, requests without this key get a 401 in the wire's error format. */
  apiKey?: string
}

export interface LoopbackServer extends AsyncDisposable {
  /** http://127.0.0.1:<port> */
  readonly url: string
  /** What to pass as `baseURL` to the matching SDK or provider. */
  readonly baseURL: string
  readonly port: number
  readonly wire: WireFormat
  /** Every request received, in order. */
  readonly requests: ReceivedRequest[]
  /** Requests whose client closed the connection before the answer was sent (aborted calls). */
  readonly closedEarly: number
  /** Adds faults to serve next (before replies). */
  injectFaults(...faults: ServerReply[]): void
  close(): Promise<void>
}

const countTokens = (s: string): number => Math.max(1, Math.ceil(s.length / 4))

function defaultReply(request: ReceivedRequest): ServerReply {
  const lastUser = [...request.messages].reverse().find((m) => m.role === 'user')
  return `echo: ${lastUser?.content ?? ''}`
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () =>
      resolve(
        chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'),
      ),
    )
    req.on('error', reject)
  })
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

/** The request as the wire reads it, or undefined after answering a wrong route (404) or non-JSON body (400). */
async function readRequest(
  wire: WireFormat,
  req: IncomingMessage,
  res: ServerResponse,
  index: number,
): Promise<ReceivedRequest | undefined> {
  const receivedAt = Date.now()
  const raw = await readBody(req)
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
  if (req.method !== 'POST' || !path.endsWith(wire.pathSuffix)) {
    sendJson(res, 404, wire.formatError(404, `no route for ${req.method} ${path}`))
    return undefined
  }
  let body: unknown = raw
  try {
    body = JSON.parse(raw)
  } catch {
    sendJson(res, 400, wire.formatError(400, 'request body is not JSON'))
    return undefined
  }
  return {
    ...wire.parseRequest(body),
    method: req.method,
    path,
    headers: req.headers,
    body,
    index,
    receivedAt,
  }
}

/** Answers with a scripted reply: a transport fault, a status error, or text in the wire's format. */
function sendScripted(
  wire: WireFormat,
  req: IncomingMessage,
  res: ServerResponse,
  reply: ServerReply,
  request: ReceivedRequest,
): void {
  if (typeof reply === 'object' && 'fault' in reply) {
    switch (reply.fault) {
      case 'hang':
        return
      case 'reset':
        req.socket.destroy()
        return
      case 'malformed-json':
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end('{"choices": [ {"message": ')
        return
      case 'empty':
        sendJson(res, 200, wire.formatEmpty())
        return
    }
  }
  if (typeof reply === 'object' && 'status' in reply) {
    sendJson(
      res,
      reply.status,
      reply.body ?? wire.formatError(reply.status, reply.message ?? `scripted error ${reply.status}`),
      reply.headers,
    )
    return
  }
  const r = typeof reply === 'string' ? { text: reply } : reply
  const usage: Usage = {
    inputTokens: r.usage?.inputTokens ?? countTokens(request.messages.map((m) => m.content).join('\n')),
    outputTokens: r.usage?.outputTokens ?? countTokens(r.text),
  }
  if (r.usage?.cachedInputTokens !== undefined) usage.cachedInputTokens = r.usage.cachedInputTokens
  sendJson(
    res,
    200,
    wire.formatReply({ text: r.text, usage, finishReason: r.finishReason ?? 'stop' }, request),
  )
}

/** Delays the server waits out (latency, a reply's delayMs), all cleared when it closes. */
function createTimers(): { wait(ms: number): Promise<void>; clearAll(): void } {
  const timers = new Set<NodeJS.Timeout>()
  return {
    wait: (ms) =>
      new Promise((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t)
          resolve()
        }, ms)
        timers.add(t)
      }),
    clearAll: () => {
      for (const t of timers) clearTimeout(t)
    },
  }
}

/** The next reply: an injected fault first, else the scripted replies in order (or their function). */
function replySource(
  options: LoopbackServerOptions,
  faults: ServerReply[],
): (request: ReceivedRequest) => Promise<ServerReply | undefined> {
  let replyIndex = 0
  return async (request) => {
    const fault = faults.shift()
    if (fault !== undefined) return fault
    const replies = options.replies ?? defaultReply
    return typeof replies === 'function' ? await replies(request) : replies[replyIndex++]
  }
}

export async function createLoopbackServer(
  wire: WireFormat,
  options: LoopbackServerOptions = {},
): Promise<LoopbackServer> {
  const requests: ReceivedRequest[] = []
  const faults = [...(options.faults ?? [])]
  const timers = createTimers()
  const wait = timers.wait
  const nextReply = replySource(options, faults)

  let closedEarly = 0
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.on('close', () => {
      if (!res.writableFinished) closedEarly++
    })
    const request = await readRequest(wire, req, res, requests.length)
    if (!request) return
    requests.push(request)
    if (options.apiKey !== undefined && wire.readApiKey(req.headers) !== options.apiKey) {
      sendJson(res, 401, wire.formatError(401, 'Invalid API key provided.'))
      return
    }
    const reply = await nextReply(request)
    if (reply === undefined) {
      sendJson(
        res,
        500,
        wire.formatError(500, `the scripted server has no reply for request #${request.index + 1}`),
      )
      return
    }
    if (options.latencyMs) await wait(options.latencyMs)
    if (typeof reply === 'object' && 'delayMs' in reply && reply.delayMs) await wait(reply.delayMs)
    sendScripted(wire, req, res, reply, request)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, wire.formatError(500, `scripted server failed: ${String(err)}`))
    })
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, resolve))
  const port = (server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${port}`
  let closed: Promise<void> | undefined
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      timers.clearAll()
      server.close(() => resolve())
      server.closeAllConnections()
    })
    return closed
  }
  return {
    url,
    baseURL: url + wire.baseURLPath,
    port,
    wire,
    requests,
    get closedEarly() {
      return closedEarly
    },
    injectFaults: (...more) => faults.push(...more),
    close,
    [Symbol.asyncDispose]: close,
  }
}

export const createOpenAICompatibleServer = (options?: LoopbackServerOptions): Promise<LoopbackServer> =>
  createLoopbackServer(openAIChatWire, options)
export const createAnthropicServer = (options?: LoopbackServerOptions): Promise<LoopbackServer> =>
  createLoopbackServer(anthropicMessagesWire, options)
export const createGroqServer = (options?: LoopbackServerOptions): Promise<LoopbackServer> =>
  createLoopbackServer(groqChatWire, options)
