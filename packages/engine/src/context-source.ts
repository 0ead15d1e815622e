// Reads on a ContextSource (the interface @rlm/context owns and its Context implements) that the
// host-backed guest `context` needs, built on slices so no call copies the whole text.

import type { ChunkOptions, ChunkSpan, ContextSource, SearchHit, SearchOptions } from '@rlm/context'

export type { ContextSource, RegExpExecMatch as ContextRegExpMatch } from '@rlm/context'

/** The caller's string a context was loaded from, when it is exactly the context's text. */
const loadedFrom = new WeakMap<ContextSource, string>()

/**
 * Remembers the string `ctx` was loaded from (well-formed ones only: lone surrogates are replaced
 * in the context), so reading the whole text decodes nothing (4-5 ms per MiB) and makes no copy.
 */
export function rememberLoadedText(ctx: ContextSource, text: string): void {
  if (ctx.length === text.length && text.isWellFormed()) loadedFrom.set(ctx, text)
}

/** The whole text as one string: the caller's own string, or a fresh copy to use and let go. */
export function wholeText(ctx: ContextSource): string {
  const loaded = loadedFrom.get(ctx)
  if (loaded !== undefined) return loaded
  // A source's own `text` (Context decodes its buffer in one go) is not logged as a read.
  const text = ctx.text
  return typeof text === 'string' ? text : ctx.slice(0, ctx.length)
}

/**
 * ctx.slice(start, end) for the engine's own reads (guest reads, literal scans), from the caller's
 * string when the context was loaded from one: V8 slices it without a copy, where ctx.slice decodes
 * the UTF-8 text (a scan of a 40 MiB context decoded 40 MiB of strings for the collector). The
 * result must not outlive the call's use (a slice keeps the whole string alive): the guest gets a
 * copy. Offsets follow String.prototype.slice, as ctx.slice does.
 */
export function readText(ctx: ContextSource, start: number, end: number): string {
  const loaded = loadedFrom.get(ctx)
  return loaded !== undefined ? loaded.slice(start, end) : ctx.slice(start, end)
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
