// An OpenAI-compatible chat-completions server on loopback that plays a model script (see
// model-script.ts) after a fixed latency, streaming or not, and counts what it saw: requests,
// the peak number in flight, the time of the first request. Any RLM implementation can be
// pointed at it, so figures compare like for like.
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import { type ModelScript, type ModelScriptInput, parseModelScript } from './model-script.ts'

const part = z.looseObject({ text: z.string().optional() })
const message = z.looseObject({
  role: z.string(),
  content: z.union([z.string(), z.array(part), z.null()]).optional(),
})
const chatRequest = z.looseObject({
  model: z.string().optional(),
  messages: z.array(message).min(1, 'expected at least one message'),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
})
type ChatMessage = z.output<typeof message>

export interface ServerStats {
  requests: number
  rootRequests: number
  subRequests: number
  inFlight: number
  peakInFlight: number
  /** Wall-clock time (ms since the epoch, sub-ms precision) of the first request, if any. */
  firstRequestAt: number | undefined
  bytesIn: number
}

export interface ModelServerOptions {
  port?: number
  host?: string
  script?: ModelScriptInput
}

export interface ModelServer extends AsyncDisposable {
  /** The OpenAI base URL, e.g. http://127.0.0.1:8787/v1 */
  readonly baseURL: string
  readonly port: number
  readonly stats: Readonly<ServerStats>
  /** Replaces the script (and zeroes the stats): one server serves scenario after scenario. */
  play(script: ModelScriptInput): void
  resetStats(): void
  close(): Promise<void>
}

const now = (): number => performance.timeOrigin + performance.now()
const textOf = (m: ChatMessage | undefined): string =>
  m === undefined || m.content == null
    ? ''
    : typeof m.content === 'string'
      ? m.content
      : m.content.map((p) => p.text ?? '').join('')
const tokens = (chars: number): number => Math.max(1, Math.ceil(chars / 4))

/** The deterministic sub-model answer: a digest of the prompt, so outputs are checkable. */
export function subAnswer(prompt: string, mode: ModelScript['sub'] = 'digest'): string {
  if (mode === 'echo') return prompt
  const digest = createHash('sha256').update(prompt).digest('hex').slice(0, 16)
  return `digest ${digest} chars ${prompt.length}`
}

function route(
  script: ModelScript,
  messages: ChatMessage[],
): { text: string; latency: number; root: boolean } {
  const first = textOf(messages.find((m) => m.role === 'user'))
  const conv = script.conversations.find((c) => first.includes(c.match))
  if (conv) {
    const turn = messages.filter((m) => m.role === 'assistant').length
    const text = conv.turns[Math.min(turn, conv.turns.length - 1)] as string
    return { text, latency: conv.latencyMs ?? script.latencyMs, root: true }
  }
  const last = [...messages].reverse().find((m) => m.role === 'user')
  return {
    text: subAnswer(textOf(last), script.sub),
    latency: script.subLatencyMs ?? script.latencyMs,
    root: false,
  }
}

export async function startModelServer(options: ModelServerOptions = {}): Promise<ModelServer> {
  let script = parseModelScript(options.script ?? {})
  const fresh = (): ServerStats => ({
    requests: 0,
    rootRequests: 0,
    subRequests: 0,
    inFlight: 0,
    peakInFlight: 0,
    firstRequestAt: undefined,
    bytesIn: 0,
  })
  let stats = fresh()
  let seq = 0

  const send = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body)
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
    res.end(text)
  }
  const fail = (res: ServerResponse, status: number, msg: string): void =>
    send(res, status, { error: { message: msg, type: 'invalid_request_error', code: null } })

  const complete = async (res: ServerResponse, raw: string, s: ServerStats): Promise<void> => {
    let body: z.output<typeof chatRequest>
    try {
      const r = chatRequest.safeParse(JSON.parse(raw))
      if (!r.success) return fail(res, 400, `bad chat request: ${r.error.issues[0]?.message ?? 'invalid'}`)
      body = r.data
    } catch {
      return fail(res, 400, 'request body is not JSON')
    }
    const { text, latency, root } = route(script, body.messages)
    if (root) s.rootRequests++
    else s.subRequests++
    if (latency > 0) await sleep(latency)
    if (res.destroyed) return
    const promptChars = body.messages.reduce((n, m) => n + textOf(m).length, 0)
    const usage = {
      prompt_tokens: tokens(promptChars),
      completion_tokens: tokens(text.length),
      total_tokens: tokens(promptChars) + tokens(text.length),
    }
    const id = `chatcmpl-bench-${++seq}`
    const created = Math.floor(Date.now() / 1000)
    const model = body.model ?? 'bench'
    if (!body.stream) {
      send(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop', logprobs: null },
        ],
        usage,
      })
      return
    }
    const chunk = (choices: unknown[], extra: object = {}): string =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...extra })}\n\n`
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    res.write(chunk([{ index: 0, delta: { role: 'assistant', content: text }, finish_reason: null }]))
    res.write(chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]))
    if (body.stream_options?.include_usage) res.write(chunk([], { usage }))
    res.end('data: [DONE]\n\n')
  }

  // Control routes, so a harness can drive a server in another process: swap the script, read
  // or zero the stats.
  const control = (method: string, path: string, raw: string, res: ServerResponse): void => {
    const route = `${method} ${path}`
    if (route === 'GET /__bench/stats') {
      send(res, 200, stats)
    } else if (route === 'POST /__bench/reset') {
      stats = fresh()
      send(res, 200, stats)
    } else if (route === 'PUT /__bench/script') {
      try {
        script = parseModelScript(JSON.parse(raw), 'sent to PUT /__bench/script')
        stats = fresh()
        send(res, 200, { ok: true })
      } catch (err) {
        fail(res, 400, (err as Error).message)
      }
    } else {
      fail(
        res,
        404,
        `no control route ${route}; GET /__bench/stats, POST /__bench/reset, PUT /__bench/script`,
      )
    }
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (path.startsWith('/__bench/')) {
      control(req.method ?? 'GET', path, raw, res)
      return
    }
    if (req.method === 'GET' && path.endsWith('/models')) {
      send(res, 200, {
        object: 'list',
        data: [{ id: 'bench', object: 'model', created: 0, owned_by: 'bench' }],
      })
      return
    }
    if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
      fail(res, 404, `no route for ${req.method} ${path}; POST /v1/chat/completions`)
      return
    }
    const s = stats
    s.requests++
    s.firstRequestAt ??= now()
    s.bytesIn += raw.length
    s.inFlight++
    s.peakInFlight = Math.max(s.peakInFlight, s.inFlight)
    try {
      await complete(res, raw, s)
    } finally {
      s.inFlight--
    }
  }

  const server = createServer({ keepAliveTimeout: 60_000, requestTimeout: 0 }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) fail(res, 500, `model server failed: ${String(err)}`)
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0, backlog: 8192 }, resolve)
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= new Promise((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
    return closing
  }
  return {
    baseURL: `http://${host}:${address.port}/v1`,
    port: address.port,
    get stats() {
      return stats
    },
    play(next) {
      script = parseModelScript(next)
      stats = fresh()
    },
    resetStats() {
      stats = fresh()
    },
    close,
    [Symbol.asyncDispose]: close,
  }
}
