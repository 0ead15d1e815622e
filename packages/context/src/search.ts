// Finds pattern hits document by document, in time linear in the text: host indexOf for
// literals, re2js for regexps (only on lines holding a required literal, when there is one).
import { matchCandidateLines } from './candidate-lines.ts'
import type { CompiledPattern } from './compile-pattern.ts'
import type { BytePosition, OffsetIndex } from './offset-index.ts'
import { matchRangeParallel, PARALLEL_MIN_BYTES } from './parallel-search.ts'
import { matchRange } from './regex-blocks.ts'

export interface SearchHit {
  /** UTF-16 offset of the match start (same space as slice and length). */
  index: number
  /** UTF-16 offset just past the match. */
  end: number
  text: string
  /** 1-based line number in the whole context (as ctx.lines counts). */
  line: number
  /** The matched line(s) around the hit, clipped to about 80 characters on each side. */
  snippet: string
  /** Name of the document holding the hit. */
  document: string
}

export interface SearchDocument {
  name: string
  byteStart: number
  byteEnd: number
}

/** Internal tuning (tests force the two-thread scan on small texts). */
export interface SearchTuning {
  /** A whole-document line-local regex scan of at least this many bytes uses two threads. */
  parallelMinBytes?: number
}

const SNIPPET = 80
const NL = 10

export function searchDocuments(
  index: OffsetIndex,
  docs: readonly SearchDocument[],
  pattern: CompiledPattern,
  limit: number,
  tuning: SearchTuning = {},
): SearchHit[] {
  const parallelMin = tuning.parallelMinBytes ?? PARALLEL_MIN_BYTES
  const hits: SearchHit[] = []
  const bytes = index.bytes
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  // Hits come in ascending order: each position is counted on from the previous one.
  let last: BytePosition | undefined
  const emit = (doc: SearchDocument, mb: number, me: number): boolean => {
    last = index.position(mb, last)
    hits.push(makeHit(buf, doc, last, me))
    return hits.length < limit
  }
  for (const doc of docs) {
    if (hits.length >= limit) break
    if (pattern.kind === 'bytes') {
      const hay = Buffer.from(bytes.buffer, bytes.byteOffset + doc.byteStart, doc.byteEnd - doc.byteStart)
      for (let i = hay.indexOf(pattern.needle); i !== -1; i = hay.indexOf(pattern.needle, i + 1)) {
        if (!emit(doc, doc.byteStart + i, doc.byteStart + i + pattern.needle.length)) break
      }
    } else if (pattern.kind === 'folded-literal') {
      searchFolded(index, doc, pattern.regexp, pattern.maxBytes, emit)
    } else {
      const found = (mb: number, me: number) => emit(doc, mb, me)
      const { re, lineLocal } = pattern
      // Plain scan of a range; a big line-local one is split across two threads.
      const scan = (from: number, to: number) =>
        lineLocal && to - from >= parallelMin
          ? matchRangeParallel(bytes, from, to, re, limit - hits.length, found)
          : matchRange(bytes, from, to, re, lineLocal, found)
      if (pattern.needles !== null)
        matchCandidateLines(bytes, doc.byteStart, doc.byteEnd, pattern.needles, re, found, scan)
      else scan(doc.byteStart, doc.byteEnd)
    }
  }
  return hits
}

const WINDOW = 4 * 1024 * 1024

function searchFolded(
  index: OffsetIndex,
  doc: SearchDocument,
  regexp: RegExp,
  overlap: number,
  emit: (doc: SearchDocument, mb: number, me: number) => boolean,
): void {
  const bytes = index.bytes
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  let ws = doc.byteStart
  while (ws < doc.byteEnd) {
    const we = charBoundary(bytes, Math.min(doc.byteEnd, ws + WINDOW), doc.byteEnd)
    const next =
      we >= doc.byteEnd ? doc.byteEnd : charBoundary(bytes, Math.max(ws + 1, we - overlap), doc.byteEnd)
    const nextUnit = next >= doc.byteEnd ? Number.POSITIVE_INFINITY : index.unitOf(next)
    const base = index.unitOf(ws)
    const text = buf.toString('utf8', ws, we)
    regexp.lastIndex = 0
    for (let m = regexp.exec(text); m !== null; m = regexp.exec(text)) {
      if (base + m.index >= nextUnit) break
      const mb = index.byteOf(base + m.index).byte
      const me = index.byteOf(base + m.index + m[0].length).byte
      if (!emit(doc, mb, me)) return
    }
    ws = next
  }
}

/** Moves b forward to the next UTF-8 character start. */
function charBoundary(bytes: Uint8Array, b: number, max: number): number {
  while (b < max && ((bytes[b] as number) & 0xc0) === 0x80) b++
  return b
}

function makeHit(buf: Buffer, doc: SearchDocument, at: BytePosition, me: number): SearchHit {
  const mb = at.byte
  // Snippet: the hit's line(s), at most SNIPPET characters (x4 bytes) on each side; the newline
  // searches are bounded so hits on one huge line stay cheap.
  let sb = Math.max(doc.byteStart, mb - SNIPPET * 4)
  const before = buf.subarray(sb, mb).lastIndexOf(NL)
  if (before !== -1) sb += before + 1
  sb = charBoundary(buf, sb, mb)
  let se = Math.min(doc.byteEnd, me + SNIPPET * 4)
  const after = buf.subarray(me, se).indexOf(NL)
  if (after !== -1) se = me + after
  se = charBoundary(buf, se, doc.byteEnd)
  const head = buf.toString('utf8', sb, mb)
  const text = buf.toString('utf8', mb, me)
  const tail = buf.toString('utf8', me, se)
  return {
    index: at.unit,
    end: at.unit + text.length,
    text,
    line: at.line,
    snippet: head.slice(-SNIPPET) + text + tail.slice(0, SNIPPET),
    document: doc.name,
  }
}
