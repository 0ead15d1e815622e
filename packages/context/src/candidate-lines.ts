// Literal prefilter for line-local regexps (grep's trick): indexOf finds the lines holding a
// required literal, they are packed into a scratch buffer, and re2js only runs on that.
import type { RE2JS } from 're2js'
import { type FoldedNeedles, foldedFinder } from './folded-needles.ts'
import { matchRange, type OnMatch } from './regex-blocks.ts'

const NL = 10
const SCRATCH = 256 * 1024
/** A line longer than this is searched in place rather than copied. */
const LONG_LINE = SCRATCH / 2
/** After this many bytes, if most lines were candidates, the prefilter only costs: stop it. */
const DENSITY_PROBE = 1024 * 1024

/**
 * Every match in bytes[from, to) of a line-local `re` (no match spans a newline or depends on the
 * text's edges) of which each match contains one of `needles`, in order, as whole-range
 * matchRange would report them. `from` must be a line start. `scanRest` does the plain scan
 * of the rest when most lines turn out to hold a literal (default: matchRange on this thread).
 */
export function matchCandidateLines(
  bytes: Uint8Array,
  from: number,
  to: number,
  needles: readonly Uint8Array[] | FoldedNeedles,
  re: RE2JS,
  found: OnMatch,
  scanRest: (from: number, to: number) => boolean = (a, b) => matchRange(bytes, a, b, re, true, found),
): boolean {
  const hay = Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from)
  const scratch = new Uint8Array(SCRATCH + LONG_LINE + 1)
  // Per packed line: its start in scratch and in hay (scratch offsets ascend, for the search back).
  let packedAt: number[] = []
  let origAt: number[] = []
  let used = 0
  let candidateBytes = 0
  const nextNeedle = Array.isArray(needles)
    ? literalFinder(hay, needles)
    : foldedFinder(hay, needles as FoldedNeedles)

  const flush = (): boolean => {
    if (used === 0) return true
    const at = packedAt
    const orig = origAt
    const ok = matchRange(scratch, 0, used, re, true, (s, e) => {
      let lo = 0
      let hi = at.length - 1
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1
        if ((at[mid] as number) <= s) lo = mid
        else hi = mid - 1
      }
      const base = from + (orig[lo] as number) - (at[lo] as number)
      return found(base + s, base + e)
    })
    packedAt = []
    origAt = []
    used = 0
    return ok
  }

  let cursor = 0
  for (;;) {
    const p = nextNeedle(cursor)
    if (p === -1) break
    const ls = p > 0 ? hay.lastIndexOf(NL, p - 1) + 1 : 0
    let le = hay.indexOf(NL, p)
    if (le === -1) le = hay.length
    candidateBytes += le - ls + 1
    if (le - ls > LONG_LINE) {
      if (!flush()) return false
      if (!matchRange(bytes, from + ls, from + le, re, true, found)) return false
    } else {
      if (used + le - ls + 1 > SCRATCH && !flush()) return false
      packedAt.push(used)
      origAt.push(ls)
      scratch.set(hay.subarray(ls, le), used)
      used += le - ls
      scratch[used++] = NL
    }
    cursor = le + 1
    if (cursor >= hay.length) break
    if (cursor > DENSITY_PROBE && candidateBytes * 2 > cursor) {
      // Most lines hold the literal: the plain DFA pass over the rest is cheaper.
      if (!flush()) return false
      return scanRest(from + cursor, to)
    }
  }
  return flush()
}

/** The first occurrence of any of `needles` at or after `cursor` (ascending cursors), or -1. */
function literalFinder(hay: Buffer, needles: readonly Uint8Array[]): (cursor: number) => number {
  // Each needle's next occurrence, kept until the cursor passes it (-2: none left).
  const next = needles.map(() => -1)
  return (cursor) => {
    let p = -1
    for (let k = 0; k < needles.length; k++) {
      let q = next[k] as number
      if (q < cursor && q !== -2) {
        q = hay.indexOf(needles[k] as Uint8Array, cursor)
        next[k] = q === -1 ? -2 : q
      }
      if (q >= 0 && (p === -1 || q < p)) p = q
    }
    return p
  }
}
