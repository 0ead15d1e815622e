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

/** What a search may be asked (all but the pattern optional; @rlm/context takes them all). */
export interface SearchRequest {
  limit?: number
  ignoreCase?: boolean
  literal?: boolean
  /** Skip hits starting before this offset (paging). */
  from?: number
  /** Characters of hits one search may hold; past it E_LIMIT. */
  maxResultChars?: number
}

export interface ChunkRequest {
  strategy?: 'fixed' | 'tokens' | 'paragraph' | 'lines' | 'document'
  size?: number
  overlap?: number
  /** Most chunks; past it E_LIMIT. */
  maxChunks?: number
}

export interface ContextSource {
  readonly length: number
  readonly documents: readonly ContextDocument[]
  slice(start: number, end: number): string
  search(pattern: string, options?: SearchRequest): ContextHit[]
  chunk(options: ChunkRequest): ContextChunk[]
  /** search() off this thread, cancelled by `signal` (@rlm/context runs it on a worker). */
  searchAsync?(pattern: string, options?: SearchRequest & { signal?: AbortSignal }): Promise<ContextHit[]>
  chunkAsync?(options: ChunkRequest & { signal?: AbortSignal }): Promise<ContextChunk[]>
  lines(from: number, to: number): string
  describe(): string
  estimateTokens(): number
  /** RegExp#exec semantics on the whole text (see @rlm/context's execRegExp). */
  execRegExp(
    pattern: { source: string; flags: string },
    options?: { from?: number; limit?: number; maxMatches?: number; maxResultChars?: number },
  ): ContextRegExpMatch[]
  /** execRegExp off this thread, cancelled by `signal` (@rlm/context runs it on a worker). */
  execRegExpAsync?(
    pattern: { source: string; flags: string },
    options?: { from?: number; limit?: number; maxMatches?: number; maxResultChars?: number } & {
      signal?: AbortSignal
    },
  ): Promise<ContextRegExpMatch[]>
}

export interface ContextRegExpMatch {
  index: number
  end: number
  captures: Array<string | null>
  groups?: Record<string, string | null>
}

/** The whole text as one string: a fresh copy, so callers use it and let it go. */
export function wholeText(ctx: ContextSource): string {
  // @rlm/context decodes its UTF-8 buffer in one go (toString) without logging a read.
  const decode = (ctx as { bytes?: unknown; toString(): string }).bytes
  return typeof decode === 'function' ? ctx.toString() : ctx.slice(0, ctx.length)
}

/** A search off the event loop when the source can (a source without searchAsync runs it here). */
export function searchContext(
  ctx: ContextSource,
  pattern: string,
  options: SearchRequest,
  signal: AbortSignal,
): Promise<ContextHit[]> {
  if (ctx.searchAsync) return ctx.searchAsync(pattern, { ...options, signal })
  return Promise.resolve().then(() => ctx.search(pattern, options))
}

export function chunkContext(
  ctx: ContextSource,
  options: ChunkRequest,
  signal: AbortSignal,
): Promise<ContextChunk[]> {
  if (ctx.chunkAsync) return ctx.chunkAsync({ ...options, signal })
  return Promise.resolve().then(() => ctx.chunk(options))
}
