// Finds literals one of which every match of a compiled pattern must contain, so a fast byte scan
// can pick the lines worth running the regex on. Reads re2js's own prefilter, built on its parse.
import type { RE2JS } from 're2js'

// re2js Prefilter.Type (src/Prefilter.js): an AND/OR tree over case-sensitive exact literals.
const NONE = 0
const EXACT = 1
const AND = 2
const OR = 3
/** More needles than this cost more scans than the regex's own DFA pass saves. */
const MAX_NEEDLES = 8

interface PrefilterLike {
  type: number
  subs?: readonly PrefilterLike[]
  bytes?: ArrayLike<number> | null
}

/**
 * Byte strings such that every match contains at least one of them, or null when the pattern has
 * no usable literal (all-class patterns, optional parts only, case-folded literals).
 */
export function requiredLiterals(re: RE2JS, caseInvariant = false): Uint8Array[] | null {
  // re2js keeps its prefilter private: read it, checking its shape (without it, no skipping).
  const pf = (re as unknown as { re2Input?: { prefilter?: PrefilterLike | null } }).re2Input?.prefilter
  if (!pf || typeof pf.type !== 'number') return null
  return driver(pf, caseInvariant)
}

/**
 * For AND, the best child's set (any one required part will do); for OR, the union of all.
 * `caseInvariant`: keep only the longest run of ASCII non-letters of each literal, which no
 * case folding changes, for use when the pattern is matched case-insensitively.
 */
function driver(pf: PrefilterLike, caseInvariant: boolean): Uint8Array[] | null {
  switch (pf.type) {
    case EXACT: {
      const b = pf.bytes
      if (!b || b.length === 0) return null
      const lit = caseInvariant ? longestCaselessRun(b) : Uint8Array.from(b)
      return lit.length > 0 ? [lit] : null
    }
    case AND: {
      let best: Uint8Array[] | null = null
      for (const sub of pf.subs ?? []) {
        const d = driver(sub, caseInvariant)
        if (d !== null && (best === null || better(d, best))) best = d
      }
      return best
    }
    case OR: {
      const subs = pf.subs ?? []
      if (subs.length === 0) return null
      const all: Uint8Array[] = []
      for (const sub of subs) {
        const d = driver(sub, caseInvariant)
        if (d === null) return null
        all.push(...d)
        if (all.length > MAX_NEEDLES) return null
      }
      return all
    }
    case NONE:
      return null
    default:
      return null
  }
}

/** Longer shortest needle first (rarer in practice), then fewer needles. */
function better(a: Uint8Array[], b: Uint8Array[]): boolean {
  const minA = Math.min(...a.map((x) => x.length))
  const minB = Math.min(...b.map((x) => x.length))
  return minA !== minB ? minA > minB : a.length < b.length
}

/** Longest run of ASCII bytes that are not letters (digits, spaces, punctuation). */
function longestCaselessRun(b: ArrayLike<number>): Uint8Array {
  let best = [0, 0]
  let start = 0
  for (let i = 0; i <= b.length; i++) {
    const c = i < b.length ? (b[i] as number) : -1
    const caseless = c >= 0 && c < 0x80 && !((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)
    if (caseless) continue
    if (i - start > (best[1] as number) - (best[0] as number)) best = [start, i]
    start = i + 1
  }
  return Uint8Array.from(Array.prototype.slice.call(b, best[0], best[1]) as number[])
}
