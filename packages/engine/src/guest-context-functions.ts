// The host side of the host-backed guest `context`: the string methods a plain string has, each
// one host call over the loaded context, with JavaScript's results (regexes on the linear-time
// engine with JavaScript semantics). Results are bounded by config.limits (E_LIMIT past them),
// checked before they are built; regexes run on @rlm/context's worker and literal scans in 1 MiB
// windows, so the event loop keeps turning and the work stops when its cell ends.

import { isRlmError, RlmError } from '@rlm/errors'
import { z } from 'zod'
import { cellWork } from './cell-work.ts'
import { contextIndexOf, contextLastIndexOf, splitPoints } from './context-scan.ts'
import { type ContextRegExpMatch, type ContextSource, readText, wholeText } from './context-source.ts'
import type { HostFunction } from './guest-host-functions.ts'
import { fmt, limitError } from './host-limits.ts'
import type { NodeState } from './node-state.ts'
import type { ContextAccess } from './result.ts'

type Log = (entry: Omit<ContextAccess, 'nodeId' | 'timestamp'>) => void

const offset = z.number().finite()
const count = z.int().min(0)
const regexp = z.object({ source: z.string(), flags: z.string() })

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value)
  if (r.success) return r.data
  const issue = r.error.issues[0]
  throw new RlmError('E_ARGUMENT', `${what}: bad argument: ${issue?.message ?? 'invalid'}`)
}

/** @rlm/context's limit names and the engine config keys that set them. */
const ENGINE_KEYS: Record<string, string> = {
  maxMatches: 'limits.maxMatches',
  maxResultChars: 'limits.maxHostResultChars',
}

/** Regex failures name the guest method and the size that made the context host-backed. */
function guestError(e: unknown, what: string, length: number): unknown {
  if (!isRlmError(e) || !['E_UNSUPPORTED', 'E_BAD_PATTERN', 'E_LIMIT'].includes(e.code)) return e
  const key = ENGINE_KEYS[String(e.details.limit)]
  return new RlmError(
    e.code,
    `${what} on the host-backed context (${length.toLocaleString('en-US')} characters): ${e.message}${key ? ` The limit is ${key} in the engine config.` : ''}`,
    {
      cause: e,
      details: e.details,
    },
  )
}

function tooManyParts(max: number): RlmError {
  return limitError(
    'maxMatches',
    max,
    `context.split makes more than ${fmt(max)} parts (limits.maxMatches); split a part of it (context.slice(a, b).split(...)), or use chunks() or lines().`,
  )
}

/** RegExp#exec on the worker when the source has one (a source without it runs here). */
function execContext(
  ctx: ContextSource,
  pattern: { source: string; flags: string },
  options: Parameters<ContextSource['execRegExp']>[1],
  signal: AbortSignal,
): Promise<ContextRegExpMatch[]> {
  if (ctx.execRegExpAsync) return ctx.execRegExpAsync(pattern, { ...options, signal })
  return Promise.resolve().then(() => ctx.execRegExp(pattern, options))
}

/** What every context host function needs: the node (its cell's work and context) and the log. */
interface ContextCalls {
  node: NodeState
  ctx: ContextSource
  limits: NodeState['scope']['config']['limits']
  log: Log
}

const sync = (fn: (...args: unknown[]) => unknown): HostFunction => ({ fn, sync: true })

export function buildContextFunctions(node: NodeState, log: Log): Record<string, HostFunction> {
  const env: ContextCalls = { node, ctx: node.ctx, limits: node.scope.config.limits, log }
  const ctx = env.ctx
  return {
    ctx_length: sync(() => ctx.length),
    ctx_slice: sync((start, end) => sliceContext(env, start, end)),
    ctx_index_of: indexFunction(env, 'context.indexOf', contextIndexOf),
    ctx_last_index_of: indexFunction(env, 'context.lastIndexOf', contextLastIndexOf),
    /** `split` with a string separator (null: none), exactly as String.prototype.split. */
    ctx_split: sync(async (separator, limit) => {
      const sep = parse(z.string().nullable(), separator, 'context.split')
      const lim = parse(count, limit, 'context.split')
      const parts = await splitOnString(env, sep, lim)
      log({ kind: 'split', pattern: sep ?? '', results: parts.length })
      return parts
    }),
    ctx_split_regexp: sync((re, limit) => splitOnRegExp(env, re, limit)),
    /** RegExp#exec from `from`, repeated (global) up to `limit` matches. */
    ctx_regexp: sync((re, from, limit) => execMatches(env, re, from, limit, 'context.match')),
    ctx_replace_plan: sync((re, from, limit) => replacePlan(env, re, from, limit)),
  }
}

/** All matches of a regex from `from` (at most `limit`), as RegExp#exec would find them. */
async function execMatches(env: ContextCalls, re: unknown, from: unknown, limit: unknown, what: string) {
  const { node, ctx, limits, log } = env
  const r = parse(regexp, re, what)
  const start = parse(count, from ?? 0, what)
  const most = limit === null || limit === undefined ? undefined : parse(z.int().positive(), limit, what)
  const options = {
    from: start,
    ...(most !== undefined && { limit: most }),
    maxMatches: limits.maxMatches,
    maxResultChars: limits.maxHostResultChars,
  }
  try {
    const found = await cellWork(node, (signal) => execContext(ctx, r, options, signal))
    log({ kind: 'match', pattern: `/${r.source}/${r.flags}`, results: found.length })
    return found
  } catch (e) {
    throw guestError(e, what, ctx.length)
  }
}

/** Refuses an answer of `chars` characters past maxHostResultChars, before it is built. */
function checkChars(env: ContextCalls, what: string, chars: number, instead: string): void {
  const max = env.limits.maxHostResultChars
  if (chars <= max) return
  throw limitError(
    'maxHostResultChars',
    max,
    `${what} would return ${fmt(chars)} characters, more than one host call returns (limits.maxHostResultChars = ${fmt(max)}); ${instead}`,
  )
}

function sliceContext(env: ContextCalls, start: unknown, end: unknown): string {
  const { ctx, log } = env
  const a = Math.max(0, Math.min(ctx.length, parse(offset, start, 'context.slice')))
  const b = Math.max(a, Math.min(ctx.length, parse(offset, end, 'context.slice')))
  checkChars(
    env,
    `context.slice(${a}, ${b})`,
    b - a,
    'read it in pieces of at most that size, or hand ranges to llm_query(prompt, { range: { start, end } }) without reading them.',
  )
  log({ kind: 'slice', start: a, end: b })
  return readText(ctx, a, b)
}

function indexFunction(env: ContextCalls, what: string, scan: typeof contextIndexOf): HostFunction {
  return sync(async (needle, from) => {
    const s = parse(z.string(), needle, what)
    const at = parse(offset, from, what)
    const i = await cellWork(env.node, (signal) => scan(env.ctx, s, at, signal))
    env.log({ kind: 'indexOf', pattern: s, results: i >= 0 ? 1 : 0 })
    return i
  })
}

/** String.prototype.split on a string separator: cut points found in windows, sizes checked first. */
async function splitOnString(env: ContextCalls, sep: string | null, lim: number): Promise<string[]> {
  const { node, ctx, limits } = env
  const instead = 'split a part at a time (context.slice(a, b).split(...)), or use chunks() or lines().'
  if (lim === 0) return []
  if (sep === null) {
    checkChars(env, 'context.split()', ctx.length, instead)
    return [wholeText(ctx)]
  }
  if (sep === '') {
    const n = Math.min(ctx.length, lim)
    if (n > limits.maxMatches) throw tooManyParts(limits.maxMatches)
    checkChars(env, 'context.split("")', n, instead)
    return readText(ctx, 0, n).split('')
  }
  const cuts = await cellWork(node, (signal) =>
    splitPoints(ctx, sep, Math.min(lim, limits.maxMatches + 1), signal),
  )
  const bounds: Array<[number, number]> = []
  let at = 0
  for (const c of cuts) {
    bounds.push([at, c])
    at = c + sep.length
  }
  bounds.push([at, ctx.length])
  const kept = bounds.slice(0, lim)
  if (kept.length > limits.maxMatches) throw tooManyParts(limits.maxMatches)
  checkChars(
    env,
    'context.split',
    kept.reduce((n, [a, b]) => n + b - a, 0),
    instead,
  )
  return kept.map(([a, b]) => readText(ctx, a, b))
}

/** `split` with a regex: JavaScript's algorithm (captures spliced in, null for a group that did not take part). */
async function splitOnRegExp(env: ContextCalls, re: unknown, limit: unknown): Promise<Array<string | null>> {
  const { ctx, limits } = env
  const lim = parse(count, limit, 'context.split')
  const r = parse(regexp, re, 'context.split')
  if (lim === 0) return []
  const flags = r.flags.replace(/[gy]/g, '')
  if (ctx.length === 0)
    return (await execMatches(env, { source: r.source, flags }, 0, 1, 'context.split')).length ? [] : ['']
  const parts: Array<string | null> = []
  let p = 0
  // Each part costs at most one skipped empty match, so 2 * lim + 1 matches always suffice.
  for (const m of await execMatches(env, { source: r.source, flags }, 0, 2 * lim + 1, 'context.split')) {
    if (m.index >= ctx.length) break
    if (m.end === p) continue // an empty match where the last part ended splits nothing
    for (const piece of [readText(ctx, p, m.index), ...m.captures.slice(1)]) {
      parts.push(piece)
      if (parts.length === lim) return parts
    }
    p = m.end
  }
  parts.push(readText(ctx, p, ctx.length))
  if (parts.length > limits.maxMatches) throw tooManyParts(limits.maxMatches)
  return parts
}

/** What `replace` needs: the matches and the text between them (matches.length + 1 pieces). */
async function replacePlan(env: ContextCalls, re: unknown, from: unknown, limit: unknown) {
  const matches = await execMatches(env, re, from, limit, 'context.replace')
  const pieces: string[] = []
  let at = 0
  for (const m of matches) {
    pieces.push(readText(env.ctx, at, m.index))
    at = m.end
  }
  pieces.push(readText(env.ctx, at, env.ctx.length))
  return { matches, pieces }
}
