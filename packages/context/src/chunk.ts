// Chunking strategies. Every chunk lies inside one document; offsets are UTF-16 units (the
// slice/length space) and never split a surrogate pair or a UTF-8 character.
import { RlmError } from '@rlm/errors'
import { ContextErrorCode } from './context-errors.ts'
import type { OffsetIndex } from './offset-index.ts'
import { estimateTokenCount, tokenPieces } from './token-count.ts'
import { getEncoder, type TokenEncodingName, tokenByteLengths } from './token-encoding.ts'

export type ChunkStrategy = 'fixed' | 'tokens' | 'paragraph' | 'lines' | 'document'

export interface ChunkSpan {
  index: number
  start: number
  end: number
  /** Token count of the chunk: exact for 'tokens' (or with exactTokens), else an estimate. */
  tokens: number
  tokensExact: boolean
  document: string
}

export interface ChunkDocument {
  name: string
  start: number
  end: number
  byteStart: number
  byteEnd: number
}

export interface ChunkPlan {
  strategy: ChunkStrategy
  size: number
  overlap: number
  encoding: TokenEncodingName
  exactTokens: boolean
  /** Tokens per ASCII character for estimates (Context samples it once). */
  asciiRate: number
  /** Most chunks over all documents; planning more stops with E_LIMIT before they exist. */
  maxChunks: number
}

/** Byte ranges [start, end) per chunk (and exact tokens), before they become spans. */
class Ranges {
  readonly list: Array<[number, number, number?]> = []
  /** How many more chunks fit. */
  readonly room: number
  readonly onFull: () => never

  constructor(room: number, onFull: () => never) {
    this.room = room
    this.onFull = onFull
  }

  add(start: number, end: number, tokens?: number): void {
    if (this.list.length >= this.room) this.onFull()
    this.list.push(tokens === undefined ? [start, end] : [start, end, tokens])
  }
}

export function planChunks(index: OffsetIndex, docs: readonly ChunkDocument[], plan: ChunkPlan): ChunkSpan[] {
  const spans: ChunkSpan[] = []
  const buf = Buffer.from(index.bytes.buffer, index.bytes.byteOffset, index.bytes.length)
  const enc = plan.exactTokens ? getEncoder(plan.encoding) : null
  const full = (): never => {
    throw chunkLimitError(index, docs, plan)
  }
  for (const doc of docs) {
    const ranges = new Ranges(plan.maxChunks - spans.length, full)
    rangesFor(index, doc, plan, ranges)
    for (const [bs, be, exact] of ranges.list) {
      let tokens = exact
      if (tokens === undefined && enc) tokens = enc.encode_ordinary(buf.toString('utf8', bs, be)).length
      spans.push({
        index: spans.length,
        start: index.unitOf(bs),
        end: index.unitOf(be),
        tokens: tokens ?? estimateTokenCount(be - bs, index.unitOf(be) - index.unitOf(bs), plan.asciiRate),
        tokensExact: tokens !== undefined,
        document: doc.name,
      })
    }
  }
  return spans
}

/** What a limit error suggests: the size that would make at most maxChunks chunks. */
function chunkLimitError(index: OffsetIndex, docs: readonly ChunkDocument[], plan: ChunkPlan): RlmError {
  let units = 0
  let bytes = 0
  let lines = 0
  for (const d of docs) {
    units += d.end - d.start
    bytes += d.byteEnd - d.byteStart
    lines += index.lineOfByte(d.byteEnd) - index.lineOfByte(d.byteStart) + 1
  }
  const total =
    plan.strategy === 'lines'
      ? lines
      : plan.strategy === 'tokens'
        ? estimateTokenCount(bytes, units, plan.asciiRate)
        : units
  const unit = plan.strategy === 'lines' ? 'lines' : plan.strategy === 'tokens' ? 'tokens' : 'characters'
  const fmt = (n: number) => n.toLocaleString('en-US')
  const atLeast = Math.ceil(total / plan.maxChunks) + plan.overlap
  return new RlmError(
    ContextErrorCode.limit,
    `chunk(): ${plan.strategy} chunks of size ${fmt(plan.size)} over ${fmt(total)} ${unit} make more than ${fmt(plan.maxChunks)} chunks (maxChunks); use a larger size (at least about ${fmt(atLeast)} ${unit}), or chunk one document at a time ({ document }).`,
    { details: { limit: 'maxChunks', maxChunks: plan.maxChunks, suggestedSize: atLeast } },
  )
}

function rangesFor(index: OffsetIndex, doc: ChunkDocument, plan: ChunkPlan, out: Ranges): void {
  if (doc.byteEnd === doc.byteStart || plan.strategy === 'document') out.add(doc.byteStart, doc.byteEnd)
  else if (plan.strategy === 'fixed') fixedRanges(index, doc.start, doc.end, plan.size, plan.overlap, out)
  else if (plan.strategy === 'lines') lineRanges(index, doc, plan, out)
  else if (plan.strategy === 'paragraph') paragraphRanges(index, doc, plan, out)
  else tokenRanges(index, doc, plan, out)
}

/** Byte of unit offset u, moved forward past a surrogate pair it would split. */
function byteAt(index: OffsetIndex, u: number): number {
  const { byte, mid } = index.byteOf(u)
  if (!mid) return byte
  return byte + 4
}

function fixedRanges(
  index: OffsetIndex,
  start: number,
  end: number,
  size: number,
  overlap: number,
  out: Ranges,
): void {
  let s = start
  for (;;) {
    const e = Math.min(end, s + size)
    const bs = byteAt(index, s)
    const be = byteAt(index, e)
    out.add(bs, be)
    if (e >= end) break
    const next = Math.max(s + 1, e - overlap)
    s = index.unitOf(byteAt(index, next))
    if (s >= end) break
  }
}

function lineRanges(index: OffsetIndex, doc: ChunkDocument, { size, overlap }: ChunkPlan, out: Ranges): void {
  const first = index.lineOfByte(doc.byteStart)
  const last = index.lineOfByte(Math.max(doc.byteStart, doc.byteEnd - 1))
  const step = Math.max(1, size - overlap)
  for (let line = first; line <= last; line += step) {
    const bs = Math.max(doc.byteStart, index.byteOfLine(line))
    const be = Math.min(doc.byteEnd, index.byteOfLine(line + size))
    out.add(bs, be)
    if (line + size > last) break
  }
}

const NL = 10

/** Paragraphs (runs of non-blank lines; a markdown heading starts a new one) packed up to size chars. */
function paragraphRanges(index: OffsetIndex, doc: ChunkDocument, plan: ChunkPlan, out: Ranges): void {
  const { size, overlap } = plan
  const bytes = index.bytes
  const paras: Array<{ bs: number; be: number; heading: boolean }> = []
  let cur: { bs: number; be: number; heading: boolean } | null = null
  for (let ls = doc.byteStart; ls < doc.byteEnd; ) {
    let le = bytes.indexOf(NL, ls)
    le = le === -1 || le >= doc.byteEnd ? doc.byteEnd : le + 1
    const blank = isBlank(bytes, ls, le)
    const heading = !blank && bytes[ls] === 0x23 && isHeading(bytes, ls, le)
    // A paragraph ends before its last line break, so chunks hold text, not trailing newlines.
    let ce = le
    while (ce > ls && (bytes[ce - 1] === NL || bytes[ce - 1] === 13)) ce--
    if (blank) {
      cur = null
    } else if (cur === null || heading) {
      cur = { bs: ls, be: ce, heading }
      paras.push(cur)
    } else {
      cur.be = ce
    }
    ls = le
  }
  const units = (b: number) => index.unitOf(b)
  let i = 0
  while (i < paras.length) {
    const p = paras[i] as { bs: number; be: number; heading: boolean }
    if (units(p.be) - units(p.bs) > size) {
      // A paragraph larger than a chunk is the only case split inside.
      fixedRanges(index, units(p.bs), units(p.be), size, overlap, out)
      i++
      continue
    }
    let j = i + 1
    while (j < paras.length) {
      const q = paras[j] as { bs: number; be: number; heading: boolean }
      const len = units(q.be) - units(p.bs)
      if (len > size) break
      // Prefer to start a new chunk at a heading once this one is half full.
      if (q.heading && units(q.bs) - units(p.bs) >= size / 2) break
      j++
    }
    out.add(p.bs, (paras[j - 1] as { be: number }).be)
    if (j >= paras.length) break
    // Overlap: carry trailing whole paragraphs that fit in `overlap` chars into the next chunk.
    let k = j
    while (k - 1 > i && units(paras[j - 1]?.be ?? 0) - units(paras[k - 1]?.bs ?? 0) <= overlap) k--
    i = k
  }
}

function isBlank(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = bytes[i]
    if (c !== 32 && c !== 9 && c !== 13 && c !== NL) return false
  }
  return true
}

function isHeading(bytes: Uint8Array, from: number, to: number): boolean {
  let i = from
  while (i < to && bytes[i] === 0x23 && i - from < 6) i++
  return i < to && (bytes[i] === 32 || bytes[i] === 9)
}

/** Windows of `size` tokens (overlap tokens shared), from one tokenization of the document. */
function tokenRanges(index: OffsetIndex, doc: ChunkDocument, plan: ChunkPlan, out: Ranges): void {
  const bytes = index.bytes
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  const enc = getEncoder(plan.encoding)
  const lens = tokenByteLengths(plan.encoding)
  const step = Math.max(1, plan.size - plan.overlap)
  const slack = out.room + Math.ceil(plan.size / step)
  const starts: number[] = []
  const ends: number[] = []
  let t = 0
  let pos = doc.byteStart
  const cuts = tokenPieces(bytes, doc.byteStart, doc.byteEnd)
  for (let c = 0; c + 1 < cuts.length; c++) {
    const ids = enc.encode_ordinary(buf.toString('utf8', cuts[c], cuts[c + 1]))
    for (let k = 0; k < ids.length; k++, t++) {
      // Starts past the room (bar the last window's overlap) mean too many chunks: stop early.
      if (t % step === 0 && starts.push(pos) > slack) out.onFull()
      if (t >= plan.size && (t - plan.size) % step === 0) ends.push(pos)
      pos += lens[ids[k] as number] ?? 0
    }
    pos = cuts[c + 1] as number
  }
  const total = t
  if (total >= plan.size && (total - plan.size) % step === 0) ends.push(pos)
  for (let k = 0; k < starts.length; k++) {
    const first = k * step
    const full = first + plan.size <= total
    const bs = charStart(bytes, starts[k] as number, doc.byteEnd)
    const be = full ? charStart(bytes, ends[k] as number, doc.byteEnd) : doc.byteEnd
    out.add(bs, Math.max(bs, be), Math.min(plan.size, total - first))
    if (!full || first + plan.size === total) break
  }
}

/** A token can end inside a UTF-8 character; chunks snap to the next character start. */
function charStart(bytes: Uint8Array, b: number, max: number): number {
  while (b < max && ((bytes[b] as number) & 0xc0) === 0x80) b++
  return b
}
