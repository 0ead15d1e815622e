// Records what was read from a context (slices, lines, chunk reads, searches) for the trace.

export type AccessKind = 'slice' | 'lines' | 'search' | 'chunk' | 'read-chunk'

export interface AccessEvent {
  kind: AccessKind
  /** Range read, in UTF-16 units (the whole context for search and chunk). */
  start: number
  end: number
  /** Characters returned (slice, lines, read-chunk) or hits/chunks produced (search, chunk). */
  results: number
  /** Milliseconds spent. */
  ms: number
  /** Epoch milliseconds when the access started. */
  at: number
  /** Search pattern or chunk strategy. */
  detail?: string
}

export type AccessListener = (event: AccessEvent) => void

const MAX_KEPT = 10_000

export class AccessLog {
  readonly events: AccessEvent[] = []
  /** Events dropped from the front once more than MAX_KEPT were recorded. */
  dropped = 0
  readonly #listeners = new Set<AccessListener>()

  record(event: AccessEvent): void {
    this.events.push(event)
    if (this.events.length > MAX_KEPT) {
      this.events.shift()
      this.dropped++
    }
    for (const l of this.#listeners) l(event)
  }

  subscribe(listener: AccessListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}
