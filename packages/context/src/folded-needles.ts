// Case-insensitive required literals found in the raw UTF-8 bytes: the bytes are read as latin1
// (one character per byte, so a match's index is its byte offset; a copy, never a decode) and a
// quantifier-free V8 regexp of each literal's case variants finds them, linear in the text.
// Only ASCII literals: their case orbits under RE2's simple folding are the ASCII pair plus, for
// k and s, the Kelvin sign (U+212A) and long s (U+017F), written here as their UTF-8 bytes.

export interface FoldedNeedles {
  /** Global, no `i` or `u` flag: every case variant is spelled out as bytes. */
  regexp: RegExp
  /** Longest occurrence in bytes (a Kelvin sign is 3 bytes for 1 letter). */
  maxBytes: number
}

const NON_ASCII_VARIANTS: Record<string, string> = { k: '\\xe2\\x84\\xaa', s: '\\xc5\\xbf' }

/** The byte-level regexp for ASCII `literals` (null when there are none or one is not ASCII). */
export function foldedNeedles(literals: readonly Uint8Array[] | null): FoldedNeedles | null {
  if (!literals || literals.length === 0 || literals.some((l) => l.some((b) => b >= 0x80))) return null
  const alternatives = literals.map((l) => Array.from(l, byteVariants).join(''))
  return {
    regexp: new RegExp(alternatives.join('|'), 'g'),
    maxBytes: 3 * Math.max(...literals.map((l) => l.length)),
  }
}

function byteVariants(b: number): string {
  const hex = (c: number) => `\\x${c.toString(16).padStart(2, '0')}`
  const lower = b | 0x20
  if (lower < 0x61 || lower > 0x7a) return hex(b)
  const pair = `[${hex(lower)}${hex(lower & ~0x20)}]`
  const other = NON_ASCII_VARIANTS[String.fromCharCode(lower)]
  return other ? `(?:${pair}|${other})` : pair
}

// Below V8's large-object size (128 KiB): a window's string dies young and a scavenge frees it,
// where 1 MiB windows went to the large-object space and piled up (+38 MiB over 40 MiB) until a
// full collection.
const WINDOW = 64 * 1024

/**
 * The first occurrence at or after `cursor` in `hay` (or -1). Calls come with ascending cursors;
 * the decoded window is kept between calls, so a scan decodes each byte about once.
 */
export function foldedFinder(hay: Buffer, needles: FoldedNeedles): (cursor: number) => number {
  const { regexp, maxBytes } = needles
  let ws = 0
  let we = 0
  let text = ''
  return (cursor) => {
    for (let at = cursor; at < hay.length; at = we) {
      if (at < ws || at >= we) {
        ws = at
        we = Math.min(hay.length, at + WINDOW)
        // The window's text runs maxBytes - 1 past its end, so an occurrence starting inside fits.
        text = hay.toString('latin1', ws, Math.min(hay.length, we + maxBytes - 1))
      }
      regexp.lastIndex = at - ws
      const m = regexp.exec(text)
      if (m !== null && ws + m.index < we) return ws + m.index
    }
    return -1
  }
}
