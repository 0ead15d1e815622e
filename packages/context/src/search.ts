// Finds pattern hits document by document, in time linear in the text: host indexOf for
// literals, re2js for regexps (only on lines holding a required literal, when there is one).
import { RlmError } from '@rlm/errors'
import { matchCandidateLines } from './candidate-lines.ts'
import type { CompiledPattern } from './compile-pattern.ts'
import { ContextErrorCode } from './context-errors.ts'
import { type BytePosition, type OffsetIndex, utf16Units } from './offset-index.ts'
import { matchRangeParallel, PARALLEL_MIN_BYTES } from './parallel-search.ts'
import { matchRange } from './regex-blocks.ts'
import { HIT_OVERHEAD_CHARS } from './result-limits.ts'

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

/** How much one search may return. */
export interface SearchBounds {
  /** Most hits. */
  limit: number
  /** UTF-16 offset: hits starting before it are skipped (paging). */
  from: number
  /** Characters of hit texts and snippets, plus HIT_OVERHEAD_CHARS a hit; past it: E_LIMIT. */
  maxResultChars: number
}

const SNIPPET = 80
const NL = 10

export function searchDocuments(
  index: OffsetIndex,
  docs: readonly SearchDocument[],
  pattern: CompiledPattern,
  bounds: SearchBounds,
  tuning: SearchTuning = {},
): SearchHit[] {
  const { limit, from, maxResultChars } = bounds
  const parallelMin = tuning.parallelMinBytes ?? PARALLEL_MIN_BYTES
  const hits: SearchHit[] = []
  const bytes = index.bytes
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  const fromByte = from > 0 ? index.byteOf(from).byte : 0
  let chars = 0
  // Hits come in ascending order: each position is counted on from the previous one.
  let last: BytePosition | undefined
  const emit = (doc: SearchDocument, mb: number, me: number): boolean => {
    if (mb < fromByte) return true
    last = index.position(mb, last)
    if (last.unit < from) return true
    // Charged before the text is decoded, so one huge match cannot allocate past the budget; the
    // text counts twice, as the snippet holds it too.
    chars += 2 * utf16Units(bytes, mb, me) + 2 * SNIPPET + HIT_OVERHEAD_CHARS
    if (chars > maxResultChars) throw resultLimitError(maxResultChars, hits.length)
    hits.push(makeHit(buf, doc, last, me))
    return hits.length < limit
  }
  for (const doc of docs) {
    if (hits.length >= limit) break
    if (doc.byteEnd < fromByte) continue
    const at = Math.max(doc.byteStart, fromByte)
    if (pattern.kind === 'bytes') {
      const hay = Buffer.from(bytes.buffer, bytes.byteOffset + at, doc.byteEnd - at)
      for (let i = hay.indexOf(pattern.needle); i !== -1; i = hay.indexOf(pattern.needle, i + 1)) {
        if (!emit(doc, at + i, at + i + pattern.needle.length)) break
      }
    } else if (pattern.kind === 'folded-literal') {
      searchFolded(bytes, doc, at, pattern.regexp, pattern.maxBytes, emit)
    } else {
      const found = (mb: number, me: number) => emit(doc, mb, me)
      const { re, lineLocal } = pattern
      // A line-local pattern matches the same from the start of the line holding `from`; any
      // other must see the whole document (anchors, matches spanning lines), then skip.
      const start = lineLocal && at > doc.byteStart ? lineStart(buf, at, doc.byteStart) : doc.byteStart
      // Plain scan of a range; a big line-local one is split across two threads.
      const scan = (a: number, b: number) =>
        lineLocal && b - a >= parallelMin
          ? matchRangeParallel(bytes, a, b, re, limit - hits.length, found)
          : matchRange(bytes, a, b, re, lineLocal, found)
      // Whole literals in any case pick far fewer lines than the caseless parts of them.
      const prefilter = pattern.folded ?? pattern.needles
      if (prefilter !== null) matchCandidateLines(bytes, start, doc.byteEnd, prefilter, re, found, scan)
      else scan(start, doc.byteEnd)
    }
  }
  return hits
}

function lineStart(buf: Buffer, b: number, min: number): number {
  const nl = buf.lastIndexOf(NL, b - 1)
  return nl < min ? min : nl + 1
}

export function resultLimitError(maxResultChars: number, hits: number): RlmError {
  return new RlmError(
    ContextErrorCode.limit,
    `search(): the hits hold more than ${maxResultChars.toLocaleString('en-US')} characters of text and snippets (maxResultChars) after ${hits.toLocaleString('en-US')} hits; ask for fewer ({ limit }), narrow the pattern, or page with { from: lastHit.end }.`,
    { details: { limit: 'maxResultChars', maxResultChars, hits } },
  )
}

// Decoded windows stay below V8's large-object size (128 KiB), so each dies young and a scavenge
// frees it; 4 MiB windows went to the large-object space and piled up until a full collection
// (as much garbage as the text in a task worker). A window is at least 4x the overlap, so a long
// literal still moves the scan on by most of a window.
const WINDOW = 64 * 1024

function searchFolded(
  bytes: Uint8Array,
  doc: SearchDocument,
  from: number,
  regexp: RegExp,
  overlap: number,
  emit: (doc: SearchDocument, mb: number, me: number) => boolean,
): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  let ws = from
  while (ws < doc.byteEnd) {
    const we = charBoundary(bytes, Math.min(doc.byteEnd, ws + Math.max(WINDOW, 4 * overlap)), doc.byteEnd)
    const next =
      we >= doc.byteEnd ? doc.byteEnd : charBoundary(bytes, Math.max(ws + 1, we - overlap), doc.byteEnd)
    const text = buf.toString('utf8', ws, we)
    // Byte offsets counted on from the previous match (the u flag keeps matches on code point
    // boundaries): the window is measured once, where two index lookups a hit walked up to 4 KiB each.
    let unit = 0
    let byte = ws
    const byteAt = (i: number): number => {
      byte += Buffer.byteLength(text.slice(unit, i))
      unit = i
      return byte
    }
    regexp.lastIndex = 0
    for (let m = regexp.exec(text); m !== null; m = regexp.exec(text)) {
      const mb = byteAt(m.index)
      if (mb >= next && next < doc.byteEnd) break
      if (!emit(doc, mb, byteAt(m.index + m[0].length))) return
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
