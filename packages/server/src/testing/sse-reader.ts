// Reads a Server-Sent Events response as messages, with eventsource-parser: what the conformance
// checks and the tests use to follow /v1/runs/:id/events and streamed chat completions.

import { createParser, type EventSourceMessage } from 'eventsource-parser'

export type SseEvent = EventSourceMessage

/** Yields each message of the response's body until the server ends it (or the caller stops). */
export async function* readSse(response: Response): AsyncGenerator<SseEvent> {
  if (!response.body) return
  const queue: SseEvent[] = []
  const parser = createParser({ onEvent: (e) => queue.push(e) })
  const decoder = new TextDecoder()
  const reader = response.body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      parser.feed(decoder.decode(value, { stream: true }))
      while (queue.length > 0) yield queue.shift() as SseEvent
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
}

/** Every message until the stream ends, or until `stop` says so (inclusive). */
export async function collectSse(response: Response, stop?: (e: SseEvent) => boolean): Promise<SseEvent[]> {
  const out: SseEvent[] = []
  for await (const e of readSse(response)) {
    out.push(e)
    if (stop?.(e)) break
  }
  return out
}
