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
  chunk(options: {
    strategy?: 'fixed' | 'tokens' | 'paragraph' | 'lines' | 'document'
    size?: number
    overlap?: number
  }): ContextChunk[]
  lines(from: number, to: number): string
  describe(): string
  estimateTokens(): number
  /** RegExp#exec semantics on the whole text (see @rlm/context's execRegExp). */
  execRegExp(
    pattern: { source: string; flags: string },
    options?: { from?: number; limit?: number; maxMatches?: number; maxResultChars?: number },
  ): ContextRegExpMatch[]
}

export interface ContextRegExpMatch {
  index: number
  end: number
  captures: Array<string | null>
  groups?: Record<string, string | null>
}

const WINDOW = 1 << 20

/** The whole text as one string: a fresh copy, so callers use it and let it go. */
export function wholeText(ctx: ContextSource): string {
  // @rlm/context decodes its UTF-8 buffer in one go (toString) without logging a read.
  const decode = (ctx as { bytes?: unknown; toString(): string }).bytes
  return typeof decode === 'function' ? ctx.toString() : ctx.slice(0, ctx.length)
}

export function contextIndexOf(ctx: ContextSource, needle: string, from: number): number {
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
