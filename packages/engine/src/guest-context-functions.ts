// The host side of the host-backed guest `context`: the string methods a plain string has, each
// one host call over the loaded context, with JavaScript's results (regexes on the linear-time
// engine with JavaScript semantics). Results are bounded by config.limits (E_LIMIT past them).

import { isRlmError, RlmError } from '@rlm/errors'
import { z } from 'zod'
import { type ContextSource, contextIndexOf, contextLastIndexOf, wholeText } from './context-source.ts'
import type { ContextAccess } from './result.ts'

type Sync = { fn: (...args: unknown[]) => unknown; sync: true }
type Log = (entry: Omit<ContextAccess, 'nodeId' | 'timestamp'>) => void

export interface ContextLimits {
  maxMatches: number
  maxHostResultChars: number
}

const offset = z.number().finite()
const count = z.int().min(0)
const regexp = z.object({ source: z.string(), flags: z.string() })

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value)
  if (r.success) return r.data
  const issue = r.error.issues[0]
  throw new RlmError('E_ARGUMENT', `${what}: bad argument: ${issue?.message ?? 'invalid'}`)
}

/** Regex failures name the guest method and the size that made the context host-backed. */
function guestError(e: unknown, what: string, length: number): unknown {
  if (!isRlmError(e) || !['E_UNSUPPORTED', 'E_BAD_PATTERN', 'E_LIMIT'].includes(e.code)) return e
  return new RlmError(
    e.code,
    `${what} on the host-backed context (${length.toLocaleString('en-US')} characters): ${e.message}`,
    {
      cause: e,
      details: e.details,
    },
  )
}

function tooManyParts(max: number): RlmError {
  return new RlmError(
    'E_LIMIT',
    `context.split makes more than ${max.toLocaleString('en-US')} parts (limits.maxMatches); split a part of it (context.slice(a, b).split(...)), or use chunks() or lines().`,
    { details: { limit: 'maxMatches', maxMatches: max } },
  )
}

export function buildContextFunctions(
  ctx: ContextSource,
  limits: ContextLimits,
  log: Log,
): Record<string, Sync> {
  const sync = (fn: (...args: unknown[]) => unknown): Sync => ({ fn, sync: true })
  const bounds = { maxMatches: limits.maxMatches, maxResultChars: limits.maxHostResultChars }
  /** All matches of a regex from `from` (at most `limit`), as RegExp#exec would find them. */
  const exec = (re: unknown, from: unknown, limit: unknown, what: string) => {
    const r = parse(regexp, re, what)
    const start = parse(count, from ?? 0, what)
    const most = limit === null || limit === undefined ? undefined : parse(z.int().positive(), limit, what)
    try {
      const found = ctx.execRegExp(r, { from: start, ...(most !== undefined && { limit: most }), ...bounds })
      log({ kind: 'match', pattern: `/${r.source}/${r.flags}`, results: found.length })
      return found
    } catch (e) {
      throw guestError(e, what, ctx.length)
    }
  }
  return {
    ctx_length: sync(() => ctx.length),
    ctx_slice: sync((start, end) => {
      const a = Math.max(0, Math.min(ctx.length, parse(offset, start, 'context.slice')))
      const b = Math.max(a, Math.min(ctx.length, parse(offset, end, 'context.slice')))
      log({ kind: 'slice', start: a, end: b })
      return ctx.slice(a, b)
    }),
    ctx_index_of: sync((needle, from) => {
      const s = parse(z.string(), needle, 'context.indexOf')
      const i = contextIndexOf(ctx, s, parse(offset, from, 'context.indexOf'))
      log({ kind: 'indexOf', pattern: s, results: i >= 0 ? 1 : 0 })
      return i
    }),
    ctx_last_index_of: sync((needle, from) => {
      const s = parse(z.string(), needle, 'context.lastIndexOf')
      const i = contextLastIndexOf(ctx, s, parse(offset, from, 'context.lastIndexOf'))
      log({ kind: 'indexOf', pattern: s, results: i >= 0 ? 1 : 0 })
      return i
    }),
    /** `split` with a string separator (null: none), exactly as String.prototype.split. */
    ctx_split: sync((separator, limit) => {
      const sep = parse(z.string().nullable(), separator, 'context.split')
      const lim = parse(count, limit, 'context.split')
      const parts = sep === null ? (lim === 0 ? [] : [wholeText(ctx)]) : wholeText(ctx).split(sep, lim)
      if (parts.length > limits.maxMatches) throw tooManyParts(limits.maxMatches)
      log({ kind: 'split', pattern: sep ?? '', results: parts.length })
      return parts
    }),
    /** `split` with a regex: JavaScript's algorithm (captures spliced in, null for a group that did not take part). */
    ctx_split_regexp: sync((re, limit) => {
      const lim = parse(count, limit, 'context.split')
      const r = parse(regexp, re, 'context.split')
      if (lim === 0) return []
      const flags = r.flags.replace(/[gy]/g, '')
      if (ctx.length === 0) return exec({ source: r.source, flags }, 0, 1, 'context.split').length ? [] : ['']
      const parts: Array<string | null> = []
      let p = 0
      // Each part costs at most one skipped empty match, so 2 * lim + 1 matches always suffice.
      for (const m of exec({ source: r.source, flags }, 0, 2 * lim + 1, 'context.split')) {
        if (m.index >= ctx.length) break
        if (m.end === p) continue // an empty match where the last part ended splits nothing
        for (const piece of [ctx.slice(p, m.index), ...m.captures.slice(1)]) {
          parts.push(piece)
          if (parts.length === lim) return parts
        }
        p = m.end
      }
      parts.push(ctx.slice(p, ctx.length))
      if (parts.length > limits.maxMatches) throw tooManyParts(limits.maxMatches)
      return parts
    }),
    /** RegExp#exec from `from`, repeated (global) up to `limit` matches. */
    ctx_regexp: sync((re, from, limit) => exec(re, from, limit, 'context.match')),
    /** What `replace` needs: the matches and the text between them (matches.length + 1 pieces). */
    ctx_replace_plan: sync((re, from, limit) => {
      const matches = exec(re, from, limit, 'context.replace')
      const pieces: string[] = []
      let at = 0
      for (const m of matches) {
        pieces.push(ctx.slice(at, m.index))
        at = m.end
      }
      pieces.push(ctx.slice(at, ctx.length))
      return { matches, pieces }
    }),
  }
}
