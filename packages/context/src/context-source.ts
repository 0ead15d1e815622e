// ContextSource: the read interface a loaded context offers to the code that explores it (the
// engine's guest API is built on it). Context implements it; a program with its own store (a
// database, an index, a remote corpus) implements the same to hand it to the engine.
import type { ChunkSpan } from './chunk.ts'
import type { ChunkOptions, SearchOptions } from './context-options.ts'
import type { RegExpExecMatch, RegExpExecOptions } from './js-regexp-exec.ts'
import type { SearchHit } from './search.ts'

/** What the off-thread variants also take: aborting `signal` stops the work (Context's TaskOptions). */
interface Cancellable {
  signal?: AbortSignal | undefined
}

/** Where one document sits in the whole text, in UTF-16 offsets (the space of slice and length). */
export interface ContextSourceDocument {
  name: string
  start: number
  end: number
}

export interface ContextSource {
  /** Length of the whole text in UTF-16 code units; slice(0, length) is all of it. */
  readonly length: number
  readonly documents: readonly ContextSourceDocument[]
  /** Text between two offsets (0 <= start <= end <= length). */
  slice(start: number, end: number): string
  /** Lines from..to, 1-based and inclusive, joined by "\n". */
  lines(from: number, to: number): string
  /** Matches of a pattern (RE2 syntax, or the text itself with `literal: true`), at most `limit`. */
  search(pattern: string, options?: SearchOptions): SearchHit[]
  /** JavaScript RegExp#exec semantics on the whole text: every match from `from`, at most `limit`. */
  execRegExp(pattern: { source: string; flags: string }, options?: RegExpExecOptions): RegExpExecMatch[]
  /** Splits the text into ranges; `strategy` and `size` as in Context.chunk. */
  chunk(options?: ChunkOptions): ChunkSpan[]
  /** search() off the caller's thread, stopped when `signal` aborts; optional (else search() runs). */
  searchAsync?(pattern: string, options?: SearchOptions & Cancellable): Promise<SearchHit[]>
  /** execRegExp() off the caller's thread; optional, as searchAsync. */
  execRegExpAsync?(
    pattern: { source: string; flags: string },
    options?: RegExpExecOptions & Cancellable,
  ): Promise<RegExpExecMatch[]>
  /** chunk() off the caller's thread; optional, as searchAsync. */
  chunkAsync?(options?: ChunkOptions & Cancellable): Promise<ChunkSpan[]>
  /** The short description of size, type and a preview that the root model is shown. */
  describe(): string
  /** Token estimate of the whole text. */
  estimateTokens(): number
  /**
   * The whole text as one string, read without counting as an access; optional (readers fall
   * back to slice(0, length)). Context's decodes its buffer in one go.
   */
  readonly text?: string
}
