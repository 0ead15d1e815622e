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
export function requiredLiterals(re: RE2JS): Uint8Array[] | null {
  const pf = (re as unknown as { re2Input?: { prefilter?: PrefilterLike | null } }).re2Input?.prefilter
  if (!pf || typeof pf.type !== 'number') return null
  return driver(pf)
}

/** For AND, the best child's set (any one required part will do); for OR, the union of all. */
function driver(pf: PrefilterLike): Uint8Array[] | null {
  switch (pf.type) {
    case EXACT: {
      const b = pf.bytes
      return b && b.length > 0 ? [Uint8Array.from(b)] : null
    }
    case AND: {
      let best: Uint8Array[] | null = null
      for (const sub of pf.subs ?? []) {
        const d = driver(sub)
        if (d !== null && (best === null || better(d, best))) best = d
      }
      return best
    }
    case OR: {
      const subs = pf.subs ?? []
      if (subs.length === 0) return null
      const all: Uint8Array[] = []
      for (const sub of subs) {
        const d = driver(sub)
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
