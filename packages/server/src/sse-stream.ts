// A Server-Sent Events response: messages are queued on a byte-counted stream; a comment every 15 s
// keeps proxies from closing an idle stream; a client that reads too slowly (more than
// MAX_BUFFERED_BYTES waiting) is disconnected and resumes with Last-Event-ID instead of making the
// server buffer without bound. `onClose` runs once, whoever closes.

const encoder = new TextEncoder()
const HEARTBEAT_MS = 15_000
const MAX_BUFFERED_BYTES = 16 * 2 ** 20

export interface SseMessage {
  event?: string | undefined
  id?: string | number | undefined
  data: string
}

export interface SseWriter {
  send(message: SseMessage): void
  close(): void
  readonly closed: boolean
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
} as const

/** Formats one SSE message (a multi-line data field becomes several `data:` lines). */
export function formatSse(message: SseMessage): string {
  let out = ''
  if (message.event) out += `event: ${message.event}\n`
  if (message.id !== undefined) out += `id: ${message.id}\n`
  for (const line of message.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`
  return `${out}\n`
}

/**
 * Streams SSE until `start`'s writer closes or the client goes away (`signal`). `start` returns
 * its cleanup, called once when the stream ends.
 */
export function sseResponse(
  signal: AbortSignal,
  start: (writer: SseWriter) => (() => void) | undefined,
  headers: Record<string, string> = {},
): Response {
  let cleanup: (() => void) | undefined
  let heartbeat: NodeJS.Timeout | undefined
  let closed = false
  let controller!: ReadableStreamDefaultController<Uint8Array>
  const finish = (): void => {
    if (closed) return
    closed = true
    clearInterval(heartbeat)
    signal.removeEventListener('abort', finish)
    try {
      controller.close()
    } catch {
      // already closed or cancelled by the client
    }
    cleanup?.()
  }
  const enqueue = (text: string): void => {
    if (closed) return
    controller.enqueue(encoder.encode(text))
    if ((controller.desiredSize ?? 0) < -MAX_BUFFERED_BYTES) finish()
  }
  const writer: SseWriter = {
    send: (message) => enqueue(formatSse(message)),
    close: finish,
    get closed() {
      return closed
    },
  }
  const body = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c
        if (signal.aborted) return finish()
        signal.addEventListener('abort', finish, { once: true })
        heartbeat = setInterval(() => enqueue(': keep-alive\n\n'), HEARTBEAT_MS)
        heartbeat.unref()
        enqueue(': rlm\n\n')
        cleanup = start(writer)
        if (closed) cleanup?.()
      },
      cancel: finish,
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  )
  return new Response(body, { status: 200, headers: { ...SSE_HEADERS, ...headers } })
}
