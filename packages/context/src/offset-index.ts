// Maps between the public offsets (UTF-16 code units, as JS string indices) and UTF-8 byte
// positions, and answers line numbers, with one sparse entry per ~4 KiB block of bytes.
import { isAscii } from 'node:buffer'

const BLOCK = 4096
const NL = 10

export class OffsetIndex {
  readonly bytes: Uint8Array
  /** Byte where each block starts (always a UTF-8 character boundary); one extra entry at the end. */
  readonly #byte: Float64Array
  /** UTF-16 offset of each block start. */
  readonly #unit: Float64Array
  /** Newlines before each block start. */
  readonly #nl: Float64Array
  readonly #ascii: Uint8Array
  readonly length: number
  readonly newlines: number

  /** Indexes `bytes`, or adopts `parts` of an index already built over the same bytes (in a worker). */
  constructor(bytes: Uint8Array, parts?: OffsetIndexParts) {
    this.bytes = bytes
    if (parts) {
      this.#byte = parts.byte
      this.#unit = parts.unit
      this.#nl = parts.nl
      this.#ascii = parts.ascii
      this.length = parts.length
      this.newlines = parts.newlines
      return
    }
    const n = Math.ceil(bytes.length / BLOCK) + 1
    const byte = new Float64Array(n + 1)
    const unit = new Float64Array(n + 1)
    const nl = new Float64Array(n + 1)
    const ascii = new Uint8Array(n + 1)
    let b = 0
    let u = 0
    let lines = 0
    let k = 0
    while (b < bytes.length) {
      let e = Math.min(b + BLOCK, bytes.length)
      while (e < bytes.length && ((bytes[e] as number) & 0xc0) === 0x80) e++
      byte[k] = b
      unit[k] = u
      nl[k] = lines
      const block = bytes.subarray(b, e)
      if (isAscii(block)) {
        ascii[k] = 1
        u += e - b
      } else {
        u += utf16Units(bytes, b, e)
      }
      for (let i = block.indexOf(NL); i !== -1; i = block.indexOf(NL, i + 1)) lines++
      b = e
      k++
    }
    byte[k] = b
    unit[k] = u
    nl[k] = lines
    this.#byte = byte.subarray(0, k + 1)
    this.#unit = unit.subarray(0, k + 1)
    this.#nl = nl.subarray(0, k + 1)
    this.#ascii = ascii
    this.length = u
    this.newlines = lines
  }

  /** The index's tables (a few bytes per 4 KiB of text), to rebuild it elsewhere without a scan. */
  parts(): OffsetIndexParts {
    return {
      byte: this.#byte,
      unit: this.#unit,
      nl: this.#nl,
      ascii: this.#ascii,
      length: this.length,
      newlines: this.newlines,
    }
  }

  /** Block whose range holds UTF-16 offset `u` (the last block for u === length). */
  #blockOfUnit(u: number): number {
    return upperBound(this.#unit, u) - 1
  }

  #blockOfByte(b: number): number {
    return upperBound(this.#byte, b) - 1
  }

  /**
   * Byte position of UTF-16 offset `u`. An offset between the two halves of a surrogate pair
   * maps to the start of that character; `mid` tells the caller.
   */
  byteOf(u: number): { byte: number; mid: boolean } {
    if (u <= 0) return { byte: 0, mid: false }
    if (u >= this.length) return { byte: this.bytes.length, mid: false }
    const k = Math.min(this.#blockOfUnit(u), this.#byte.length - 2)
    let b = this.#byte[k] as number
    let at = this.#unit[k] as number
    if (this.#ascii[k] === 1) return { byte: b + (u - at), mid: false }
    const bytes = this.bytes
    while (at < u) {
      const lead = bytes[b] as number
      const w = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4
      const units = w === 4 ? 2 : 1
      if (at + units > u) return { byte: b, mid: true }
      at += units
      b += w
    }
    return { byte: b, mid: false }
  }

  /** UTF-16 offset of byte position `b` (which must be a character boundary). */
  unitOf(b: number): number {
    if (b <= 0) return 0
    if (b >= this.bytes.length) return this.length
    const k = this.#blockOfByte(b)
    const start = this.#byte[k] as number
    const at = this.#unit[k] as number
    if (this.#ascii[k] === 1) return at + (b - start)
    return at + utf16Units(this.bytes, start, b)
  }

  /** 1-based line number of the line holding byte `b`. */
  lineOfByte(b: number): number {
    const k = Math.min(this.#blockOfByte(b), this.#byte.length - 1)
    let lines = this.#nl[k] as number
    const bytes = this.bytes
    for (let i = this.#byte[k] as number; i < b; i++) if (bytes[i] === NL) lines++
    return lines + 1
  }

  /**
   * UTF-16 offset and 1-based line of byte `b` (a character boundary) in one pass, walking on from
   * `from` (an earlier answer at or before b) when that is nearer than b's block start, so
   * ascending positions (search hits) cost the distance between them, not a block each.
   */
  position(b: number, from?: BytePosition): BytePosition {
    const k = Math.min(this.#blockOfByte(b), this.#byte.length - 1)
    let at = this.#byte[k] as number
    let unit = this.#unit[k] as number
    let line = (this.#nl[k] as number) + 1
    if (from !== undefined && from.byte >= at && from.byte <= b) {
      at = from.byte
      unit = from.unit
      line = from.line
    }
    const bytes = this.bytes
    for (let i = at; i < b; i++) {
      const c = bytes[i] as number
      if (c === NL) line++
      if ((c & 0xc0) !== 0x80) unit += c >= 0xf0 ? 2 : 1
    }
    return { byte: b, unit, line }
  }

  /** Byte where 1-based line `line` starts (bytes.length when past the last line). */
  byteOfLine(line: number): number {
    const want = line - 1
    if (want <= 0) return 0
    if (want > this.newlines) return this.bytes.length
    // Last block with fewer than `want` newlines before it holds the wanted newline.
    const k = lowerBound(this.#nl, want) - 1
    let seen = this.#nl[k] as number
    const bytes = this.bytes
    for (let i = this.#byte[k] as number; i < bytes.length; i++) {
      if (bytes[i] === NL && ++seen === want) return i + 1
    }
    return bytes.length
  }
}

export interface OffsetIndexParts {
  byte: Float64Array
  unit: Float64Array
  nl: Float64Array
  ascii: Uint8Array
  length: number
  newlines: number
}

/** A byte position with its UTF-16 offset and 1-based line. */
export interface BytePosition {
  byte: number
  unit: number
  line: number
}

/** UTF-16 code units in bytes[from, to) of valid UTF-8. */
export function utf16Units(bytes: Uint8Array, from: number, to: number): number {
  let u = 0
  for (let i = from; i < to; i++) {
    const c = bytes[i] as number
    if ((c & 0xc0) !== 0x80) u += c >= 0xf0 ? 2 : 1
  }
  return u
}

/** First index whose value is > x. */
function upperBound(a: Float64Array, x: number): number {
  let lo = 0
  let hi = a.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((a[mid] as number) <= x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** First index whose value is >= x. */
function lowerBound(a: Float64Array, x: number): number {
  let lo = 0
  let hi = a.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((a[mid] as number) < x) lo = mid + 1
    else hi = mid
  }
  return lo
}
