// Append-only UTF-8 byte store in one growable SharedArrayBuffer: the context's only full copy.
// Workers can read it without copying; invalid UTF-8 is repaired (U+FFFD) as it is appended.
import { isUtf8 } from 'node:buffer'
import { tooLargeError } from './context-errors.ts'

const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd])

export class TextStoreBuilder {
  readonly #sab: SharedArrayBuffer
  readonly #maxBytes: number
  #used = 0

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes
    // Growable: only pages actually written are committed, so over-reserving costs no RSS.
    this.#sab = new SharedArrayBuffer(0, { maxByteLength: Math.max(maxBytes, 1) })
  }

  get used(): number {
    return this.#used
  }

  /** Reserves n more bytes and returns a view to write them into. */
  reserve(n: number, what: string): Uint8Array {
    const end = this.#used + n
    if (end > this.#maxBytes) throw tooLargeError(this.#maxBytes, `${what} brings it to ${end} bytes`)
    if (end > this.#sab.byteLength) this.#sab.grow(end)
    return new Uint8Array(this.#sab, this.#used, n)
  }

  /** Marks n bytes of the last reservation as written. */
  commit(n: number): void {
    this.#used += n
  }

  /** Forgets everything after byte `to` (used to drop a skipped file). */
  truncate(to: number): void {
    this.#used = Math.min(this.#used, to)
  }

  appendString(text: string, what: string): void {
    const n = Buffer.byteLength(text, 'utf8')
    const view = this.reserve(n, what)
    Buffer.from(view.buffer, view.byteOffset, n).write(text, 0, 'utf8')
    this.commit(n)
  }

  /**
   * Checks the bytes appended since `from` are UTF-8; if not, re-encodes them with U+FFFD for
   * each invalid sequence and returns how many were replaced.
   */
  repairFrom(from: number, what: string): number {
    const region = new Uint8Array(this.#sab, from, this.#used - from)
    if (isUtf8(region)) return 0
    const raw = Buffer.from(region.buffer, region.byteOffset, region.length)
    const decoded = raw.toString('utf8')
    const replaced = countOf(decoded, '\uFFFD') - countBytes(raw, REPLACEMENT)
    this.#used = from
    this.appendString(decoded, what)
    return replaced
  }

  finish(): SharedArrayBuffer {
    return this.#sab
  }
}

function countOf(s: string, ch: string): number {
  let n = 0
  for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) n++
  return n
}

function countBytes(b: Buffer, needle: Buffer): number {
  let n = 0
  for (let i = b.indexOf(needle); i !== -1; i = b.indexOf(needle, i + needle.length)) n++
  return n
}
