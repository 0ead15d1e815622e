// The host functions that read a node's context for the guest API (search, chunks, lines,
// describe, documents). Each answers within config.limits (E_LIMIT past them), and search and
// chunking run on @rlm/context's worker, off the event loop, cancelled when their cell ends.

import { isRlmError } from '@rlm/errors'
import { z } from 'zod'
import { cellWork } from './cell-work.ts'
import { chunkContext, searchContext } from './context-source.ts'
import { parseArgument as parse } from './guest-arguments.ts'
import type { HostFunction } from './guest-host-functions.ts'
import { fmt, limitError, relabelResultLimit } from './host-limits.ts'
import type { NodeState } from './node-state.ts'
import type { ContextAccess } from './result.ts'

const searchOptions = z
  .object({
    limit: z.int().positive().optional(),
    from: z.int().min(0).optional(),
    ignoreCase: z.boolean().optional(),
    literal: z.boolean().optional(),
  })
  .loose()
const chunkOptions = z
  .object({
    strategy: z.enum(['fixed', 'tokens', 'paragraph', 'lines', 'document']).optional(),
    size: z.int().positive().optional(),
    overlap: z.int().min(0).optional(),
  })
  .loose()

/** Hits search() returns when the guest passes no limit (the prompt says so). */
export const DEFAULT_SEARCH_LIMIT = 100

type Log = (entry: Omit<ContextAccess, 'nodeId' | 'timestamp'>) => void

export function buildReadFunctions(node: NodeState, log: Log): Record<string, HostFunction> {
  const ctx = node.ctx
  const limits = node.scope.config.limits
  const sync = (fn: (...args: unknown[]) => unknown): HostFunction => ({ fn, sync: true })
  return {
    search: sync(async (pattern, options) => {
      const p = parse(z.string(), pattern, 'search(pattern)')
      const o = parse(searchOptions, options ?? {}, 'search(pattern, options)')
      const limit = o.limit ?? DEFAULT_SEARCH_LIMIT
      const max = limits.maxSearchHits
      if (limit > max) {
        throw limitError(
          'maxSearchHits',
          max,
          `search(): { limit: ${limit} } is more hits than one search returns (limits.maxSearchHits = ${fmt(max)}). Pass a limit of at most ${fmt(max)} and page with { from: hits[hits.length - 1].end }, or narrow the pattern.`,
        )
      }
      const request = { ...o, limit, maxResultChars: limits.maxHostResultChars }
      const hits = await cellWork(node, (signal) => searchContext(ctx, p, request, signal)).catch(
        (err: unknown) => {
          throw relabelResultLimit(err, 'search()', limits)
        },
      )
      log({ kind: 'search', pattern: p, results: hits.length })
      return hits
    }),
    chunks: sync(async (options) => {
      const o = parse(chunkOptions, options ?? {}, 'chunks(options)')
      const strategy = o.strategy ?? 'fixed'
      const request = {
        strategy,
        ...(o.size && { size: o.size }),
        ...(o.overlap !== undefined && { overlap: o.overlap }),
        maxChunks: limits.maxChunks,
      }
      const list = await cellWork(node, (signal) => chunkContext(ctx, request, signal)).catch(
        (err: unknown) => {
          throw chunkLimit(err, strategy, limits.maxChunks)
        },
      )
      // A source that ignores maxChunks is still held to it.
      if (list.length > limits.maxChunks) throw chunkLimit(undefined, strategy, limits.maxChunks)
      log({ kind: 'chunks', results: list.length })
      return list
    }),
    lines: sync((from, to) => {
      const a = parse(z.int().min(1), from, 'lines(from, to)')
      const b = parse(z.int().min(a), to, 'lines(from, to)')
      const text = ctx.lines(a, b)
      log({ kind: 'lines', start: a, end: b })
      return text
    }),
    describe: sync(() => {
      log({ kind: 'describe' })
      return ctx.describe()
    }),
    documents: sync(() => ctx.documents.map((d) => ({ name: d.name, start: d.start, end: d.end }))),
    context_tokens: sync(() => ctx.estimateTokens()),
  }
}

/** E_LIMIT for too many chunks, naming the engine's limit and the size that fits (when known). */
function chunkLimit(err: unknown, strategy: string, max: number): unknown {
  if (err !== undefined && !(isRlmError(err) && err.details.limit === 'maxChunks')) return err
  const size = isRlmError(err) ? err.details.suggestedSize : undefined
  const instead =
    typeof size === 'number'
      ? `chunks({ strategy: '${strategy}', size: ${size} }) or larger`
      : 'a larger size'
  return limitError(
    'maxChunks',
    max,
    `chunks() would make more than ${fmt(max)} chunks (limits.maxChunks); use ${instead}.`,
  )
}
