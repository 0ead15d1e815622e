// The parts of a loaded @rlm/context the engine calls, as a structural type, plus the string
// methods the host-backed guest `context` needs, built on slices so no call copies the whole text.

export interface ContextDocument {
  name: string
  start: number
  end: number
}

export interface ContextHit {
  index: number
  text: string
  line: number
  snippet: string
  document?: string | undefined
}

export interface ContextChunk {
  index: number
  start: number
  end: number
  tokens: number
  document?: string | undefined
}

export interface ContextSource {
  readonly length: number
  readonly documents: readonly ContextDocument[]
  slice(start: number, end: number): string
  search(pattern: string, options?: { limit?: number; ignoreCase?: boolean; literal?: boolean }): ContextHit[]
  chunk(options: { strategy?: string; size?: number; overlap?: number }): ContextChunk[]
  lines(from: number, to: number): string
  describe(): string
  estimateTokens(): number
  /** The whole text, when the loader keeps it as one string. */
  readonly text?: string | undefined
}

const WINDOW = 1 << 20

/** The whole text as one string (a transient copy when the context stores it otherwise). */
export function wholeText(ctx: ContextSource): string {
  return typeof ctx.text === 'string' ? ctx.text : ctx.slice(0, ctx.length)
}

export function contextIndexOf(ctx: ContextSource, needle: string, from: number): number {
  if (typeof ctx.text === 'string') return ctx.text.indexOf(needle, from)
  const len = ctx.length
  if (needle === '') return Math.min(from, len)
  for (let pos = from; pos < len; pos += WINDOW) {
    const window = ctx.slice(pos, Math.min(len, pos + WINDOW + needle.length - 1))
    const i = window.indexOf(needle)
    if (i >= 0) return pos + i
  }
  return -1
}

export function contextLastIndexOf(ctx: ContextSource, needle: string, from: number): number {
  if (typeof ctx.text === 'string') return ctx.text.lastIndexOf(needle, from)
  const len = ctx.length
  const last = Math.min(from, len - needle.length)
  if (last < 0) return -1
  for (let end = last + needle.length; end > 0; end -= WINDOW) {
    const start = Math.max(0, end - WINDOW - needle.length + 1)
    const i = ctx.slice(start, end).lastIndexOf(needle)
    if (i >= 0) return start + i
  }
  return -1
}
