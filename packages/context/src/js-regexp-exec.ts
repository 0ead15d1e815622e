// JavaScript RegExp matching over the whole text on the linear-time engine: what RegExp#exec
// would return on ctx.text (index, captures, named groups), repeated with JavaScript's lastIndex
// rules for global and sticky regexes. Documents do not matter here: the text is one string.
import { RlmError } from '@rlm/errors'
import type { RE2JS } from 're2js'
import { compilePattern } from './compile-pattern.ts'
import { ContextErrorCode } from './context-errors.ts'
import { translateJsRegExp } from './js-regexp-translate.ts'
import type { BytePosition, OffsetIndex } from './offset-index.ts'
import { bigBlockEnd, smallBlockEnd } from './regex-blocks.ts'
import { HIT_OVERHEAD_CHARS } from './result-limits.ts'

/** One match, as RegExp#exec reports it (JSON-safe: a group that did not take part is null). */
export interface RegExpExecMatch {
  /** UTF-16 offset of the match. */
  index: number
  /** UTF-16 offset just past it (the next lastIndex). */
  end: number
  /** [whole match, group 1, group 2, ...]. */
  captures: Array<string | null>
  /** Named groups in the order the pattern defines them; absent when it has none. */
  groups?: Record<string, string | null>
}

export interface RegExpExecOptions {
  /** UTF-16 offset to start at (the regex's lastIndex). Default 0. */
  from?: number
  /** Stop after this many matches (1: one exec). Default: all of them, with JavaScript's global advance. */
  limit?: number
  /** More matches than this throw E_LIMIT instead of returning a partial list. */
  maxMatches?: number
  /** Characters of matched text the result may hold (plus HIT_OVERHEAD_CHARS a match); past it E_LIMIT. */
  maxResultChars?: number
}

interface Compiled {
  re: RE2JS
  lineLocal: boolean
  needles: Uint8Array[] | null
  sticky: boolean
  names: Array<[string, number]>
}

function compile(source: string, flags: string): Compiled {
  const t = translateJsRegExp(source, flags)
  try {
    const c = compilePattern(t.source, {
      ignoreCase: t.flags.ignoreCase,
      multiline: t.flags.multiline,
      dotAll: t.flags.dotAll,
    })
    if (c.kind !== 're2') throw new Error('expected a regex')
    const names = Object.entries(c.re.namedGroups()).sort((a, b) => a[1] - b[1])
    return { re: c.re, lineLocal: c.lineLocal, needles: c.needles, sticky: t.flags.sticky, names }
  } catch (cause) {
    const why = (cause as { message?: string }).message ?? String(cause)
    const code = /repeat count|invalid character class range|unknown group|invalid named/.test(why)
      ? ContextErrorCode.unsupported
      : ContextErrorCode.badPattern
    throw new RlmError(
      code,
      `The regular expression /${source}/${flags} cannot run on the linear-time engine: ${why.replace(/^search\(\): /, '')}`,
      {
        cause,
        details: { pattern: source },
      },
    )
  }
}

/** The leftmost match at or after byte `pos` ([start, end, g1s, g1e, ...] in bytes), or null. */
type Finder = (pos: number) => number[] | null

function wholeTextFinder(bytes: Uint8Array, re: RE2JS, ngroups: number): Finder {
  const m = re.matcher(bytes)
  return (pos) => (m.find(pos) ? groupOffsets(m, ngroups) : null)
}

/**
 * For a pattern whose matches never span a line: lines without one of its required literals are
 * skipped with indexOf, the DFA skips line-aligned 256 KiB and then ~2 KiB blocks with no match,
 * and the capturing matcher runs on the small block that has one (blocks start at line starts,
 * so ^, $ and \b see the same neighbours as on the whole text).
 */
function lineBlockFinder(
  index: OffsetIndex,
  re: RE2JS,
  needles: Uint8Array[] | null,
  ngroups: number,
): Finder {
  const bytes = index.bytes
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  const end = bytes.length
  // The current big block [A, B) (bigHas: the DFA found a match in it) and small block [a, b)
  // with its matcher (null: no match in it; undefined: not tested yet).
  let A = -1
  let B = -1
  let bigHas = false
  let a = -1
  let b = -1
  let m: ReturnType<RE2JS['matcher']> | null | undefined
  const enterSmall = (start: number): void => {
    a = start
    b = Math.min(B, smallBlockEnd(bytes, a, B))
    m = undefined
  }
  /** Makes the block holding line start `ls` current. */
  const enter = (ls: number): void => {
    if (ls < A || ls >= B || (ls === B && B === end)) {
      A = ls
      B = bigBlockEnd(bytes, A, end)
      bigHas = re.test(bytes.subarray(A, B))
    }
    enterSmall(ls)
  }
  // (lastIndexOf with a negative start would count from the end.)
  const lineStartOf = (p: number): number => (p <= 0 ? 0 : bytes.lastIndexOf(NL, p - 1) + 1)
  /** Every match holds a required literal, so none starts before the line of the next one. */
  const nextCandidate = (pos: number): number => {
    let best = -1
    for (const needle of needles ?? []) {
      const i = buf.indexOf(needle, pos)
      if (i >= 0 && (best < 0 || i < best)) best = i
    }
    return best
  }
  return (from) => {
    let pos = from
    if (pos < a || pos > b || (pos === b && b < end)) enter(lineStartOf(pos))
    for (;;) {
      if (needles) {
        const next = nextCandidate(pos)
        if (next < 0) return null
        if (next >= b) {
          const ls = lineStartOf(next)
          enter(ls)
          pos = Math.max(pos, ls)
        }
      }
      if (bigHas) {
        m ??= re.test(bytes.subarray(a, b)) ? re.matcher(bytes.subarray(a, b)) : null
        // An empty match at a block's end belongs to the next block (it sees the next line).
        if (m?.find(pos - a) && (m.start() < b - a || b === end)) {
          return groupOffsets(m, ngroups).map((x) => (x < 0 ? x : x + a))
        }
      }
      if (b >= end || (!bigHas && B >= end)) return null
      if (!bigHas || b >= B) enter(B)
      else enterSmall(b)
      pos = a
    }
  }
}

const NL = 10

function groupOffsets(m: ReturnType<RE2JS['matcher']>, ngroups: number): number[] {
  const out: number[] = []
  for (let g = 0; g <= ngroups; g++) out.push(m.start(g), m.end(g))
  return out
}

/** Byte just past the character at byte b (UTF-8 lead byte decides its length). */
function nextChar(bytes: Uint8Array, b: number): number {
  const lead = bytes[b] as number
  return b + (lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4)
}

/**
 * RegExp#exec semantics from `from`, repeated up to `limit` times: after a match, the next search
 * starts at its end, one character further when it was empty; a sticky regex stops at the first
 * position without a match.
 */
export function execJsRegExp(
  index: OffsetIndex,
  source: string,
  flags: string,
  options: RegExpExecOptions = {},
): RegExpExecMatch[] {
  const c = compile(source, flags)
  const bytes = index.bytes
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  const ngroups = c.re.groupCount()
  const find = c.lineLocal
    ? lineBlockFinder(index, c.re, c.needles, ngroups)
    : wholeTextFinder(bytes, c.re, ngroups)
  const limit = options.limit ?? Number.POSITIVE_INFINITY
  const maxMatches = options.maxMatches ?? Number.POSITIVE_INFINITY
  const maxChars = options.maxResultChars ?? Number.POSITIVE_INFINITY
  const from = Math.max(0, Math.trunc(options.from ?? 0))
  const out: RegExpExecMatch[] = []
  if (from > index.length) return out
  const start = index.byteOf(from)
  let pos = start.mid ? start.byte + 4 : start.byte
  let last: BytePosition | undefined
  let chars = 0
  while (out.length < limit && pos <= bytes.length) {
    const g = find(pos)
    if (g === null || (c.sticky && g[0] !== pos)) break
    if (out.length >= maxMatches) throw tooMany('maxMatches', maxMatches, out.length)
    const [ms, me] = g as [number, number]
    last = index.position(ms, last)
    const captures: Array<string | null> = []
    for (let k = 0; k <= ngroups; k++) {
      const s = g[2 * k] as number
      captures.push(s < 0 ? null : buf.toString('utf8', s, g[2 * k + 1]))
    }
    const whole = captures[0] as string
    chars += captures.reduce((n, x) => n + (x?.length ?? 0), HIT_OVERHEAD_CHARS)
    if (chars > maxChars) throw tooMany('maxResultChars', maxChars, out.length)
    const match: RegExpExecMatch = { index: last.unit, end: last.unit + whole.length, captures }
    if (c.names.length) match.groups = Object.fromEntries(c.names.map(([n, k]) => [n, captures[k] ?? null]))
    out.push(match)
    pos = me > ms ? me : me >= bytes.length ? bytes.length + 1 : nextChar(bytes, me)
  }
  return out
}

function tooMany(limit: 'maxMatches' | 'maxResultChars', max: number, got: number): RlmError {
  const what = limit === 'maxMatches' ? `more than ${max} matches` : `more than ${max} characters of matches`
  return new RlmError(
    ContextErrorCode.limit,
    `The regex finds ${what} (${limit}; ${got} so far). Narrow the pattern, or page through the text with search(pattern, { limit, from }).`,
    { details: { limit, [limit]: max } },
  )
}
