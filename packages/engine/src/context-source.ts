// Reads on a ContextSource (the interface @rlm/context owns and its Context implements) that the
// host-backed guest `context` needs, built on slices so no call copies the whole text.

import type { ChunkOptions, ChunkSpan, ContextSource, SearchHit, SearchOptions } from '@rlm/context'

export type { ContextSource, RegExpExecMatch as ContextRegExpMatch } from '@rlm/context'

/** The whole text as one string: a fresh copy, so callers use it and let it go. */
export function wholeText(ctx: ContextSource): string {
  // A source's own `text` (Context decodes its buffer in one go) is not logged as a read.
  const text = ctx.text
  return typeof text === 'string' ? text : ctx.slice(0, ctx.length)
}

/** A search off the event loop when the source can (a source without searchAsync runs it here). */
export function searchContext(
  ctx: ContextSource,
  pattern: string,
  options: SearchOptions,
  signal: AbortSignal,
): Promise<SearchHit[]> {
  if (ctx.searchAsync) return ctx.searchAsync(pattern, { ...options, signal })
  return Promise.resolve().then(() => ctx.search(pattern, options))
}

export function chunkContext(
  ctx: ContextSource,
  options: ChunkOptions,
  signal: AbortSignal,
): Promise<ChunkSpan[]> {
  if (ctx.chunkAsync) return ctx.chunkAsync({ ...options, signal })
  return Promise.resolve().then(() => ctx.chunk(options))
}
