// Runs re2js over a byte range the cheap way: its DFA (test) picks the line-aligned blocks that
// hold a match, and the slower capturing matcher only runs on those.
import type { RE2JS } from 're2js'

const BIG_BLOCK = 256 * 1024
const SMALL_BLOCK = 2 * 1024
const NL = 10

/** Receives a match [start, end) in the searched array's offsets; false stops the search. */
export type OnMatch = (start: number, end: number) => boolean

/** Every match in [from, to), in order. `lineLocal`: no match can span a line, so blocks may be split at newlines. */
export function matchRange(
  bytes: Uint8Array,
  from: number,
  to: number,
  re: RE2JS,
  lineLocal: boolean,
  found: OnMatch,
): boolean {
  if (!lineLocal) return matchAll(bytes, from, to, re, found)
  return searchBlocks(bytes, from, to, BIG_BLOCK, re, (a, b) =>
    searchBlocks(bytes, a, b, SMALL_BLOCK, re, (c, d) => matchAll(bytes, c, d, re, found)),
  )
}

/** Splits [from, to) into line-aligned blocks and hands on only those the DFA says match. */
function searchBlocks(
  bytes: Uint8Array,
  from: number,
  to: number,
  size: number,
  re: RE2JS,
  onMatch: (a: number, b: number) => boolean,
): boolean {
  let a = from
  while (a < to) {
    const b = blockEnd(bytes, a, to, size)
    if (re.test(bytes.subarray(a, b)) && !onMatch(a, b)) return false
    a = b
  }
  return true
}

/**
 * End of the line-aligned 256 KiB block of [a, to) starting at a, exactly as matchRange cuts
 * them: splitting a search at these points gives the same blocks, hence the same matches.
 */
export function bigBlockEnd(bytes: Uint8Array, a: number, to: number): number {
  return blockEnd(bytes, a, to, BIG_BLOCK)
}

/** End of the line-aligned ~2 KiB block of [a, to) starting at a (the inner level of matchRange). */
export function smallBlockEnd(bytes: Uint8Array, a: number, to: number): number {
  return blockEnd(bytes, a, to, SMALL_BLOCK)
}

function blockEnd(bytes: Uint8Array, a: number, to: number, size: number): number {
  const b = a + size >= to ? to : bytes.indexOf(NL, a + size) + 1
  return b <= 0 || b > to ? to : b
}

function matchAll(bytes: Uint8Array, from: number, to: number, re: RE2JS, found: OnMatch): boolean {
  const m = re.matcher(bytes.subarray(from, to))
  while (m.find()) if (!found(from + m.start(), from + m.end())) return false
  return true
}
