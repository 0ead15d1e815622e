// A loaded context: one UTF-8 copy in a SharedArrayBuffer, read through UTF-16 offsets (the
// same numbers as JS string indices) by slice, lines, search and chunk; every read is logged.
import { RlmError } from '@rlm/errors'
import { type AccessEvent, type AccessKind, type AccessListener, AccessLog } from './access-log.ts'
import { type ChunkPlan, type ChunkSpan, planChunks } from './chunk.ts'
import { checkPattern, compilePattern } from './compile-pattern.ts'
import { ContextErrorCode, type ContextWarning } from './context-errors.ts'
import {
  type ChunkOptions,
  chunkOptionsSchema,
  DEFAULT_CHUNK_SIZE,
  parseOptions,
  regExpExecOptionsSchema,
  regExpSchema,
  type SearchOptions,
  searchOptionsSchema,
} from './context-options.ts'
import type { ContextSource } from './context-source.ts'
import { runTask } from './context-tasks.ts'
import { type ContextShape, detectType, formatShape, sampleWindows } from './describe.ts'
import { execJsRegExp, type RegExpExecMatch, type RegExpExecOptions } from './js-regexp-exec.ts'
import { OffsetIndex, type OffsetIndexParts } from './offset-index.ts'
import { type SearchHit, searchDocuments } from './search.ts'
import { asciiTokenRate, countRanges, estimateTokenCount, tokenPieces } from './token-count.ts'
import { DEFAULT_ENCODING, encodingForModel, type TokenEncodingName } from './token-encoding.ts'

export interface ContextDocument {
  name: string
  /** UTF-16 offset of the first character (slice space). */
  start: number
  /** UTF-16 offset just past the last character. */
  end: number
  /** The same range in the UTF-8 bytes of ctx.bytes(). */
  byteStart: number
  byteEnd: number
}

/** A chunk: its offsets, token count and document; `text` reads it (and logs the read). */
export interface Chunk extends ChunkSpan {
  readonly text: string
}

export interface CountTokensOptions {
  /** Model id; picks the encoding (o200k_base for current models, cl100k_base for GPT-4/3.5). */
  model?: string
  encoding?: TokenEncodingName
  /** Worker threads (default: all cores for texts over 8 MiB; 1 = this thread). */
  workers?: number
}

/** Options of the worker-thread variants (searchAsync, chunkAsync). */
export interface TaskOptions {
  /** Aborting it terminates the work in progress; the promise rejects with its reason. */
  signal?: AbortSignal | undefined
}

/** V8's longest string (2^29 - 24 UTF-16 units); ctx.text cannot be longer. */
export const MAX_STRING_LENGTH = 2 ** 29 - 24

export class Context implements ContextSource {
  /** Length in UTF-16 code units; slice(0, length) is the whole text. */
  readonly length: number
  readonly byteLength: number
  readonly documents: readonly ContextDocument[]
  /** What the loader skipped or repaired (binaries, oversized files, invalid UTF-8). */
  readonly warnings: readonly ContextWarning[]
  /** Default token encoding (from loadContext's model/encoding options). */
  readonly encoding: TokenEncodingName
  readonly #index: OffsetIndex
  readonly #buf: Buffer
  readonly #log = new AccessLog()
  readonly #exact = new Map<TokenEncodingName, Promise<number>>()
  #asciiRate: number | undefined

  constructor(
    buffer: SharedArrayBuffer,
    byteLength: number,
    docs: ReadonlyArray<{ name: string; byteStart: number; byteEnd: number }>,
    warnings: readonly ContextWarning[],
    encoding: TokenEncodingName = DEFAULT_ENCODING,
  ) {
    this.#buf = Buffer.from(buffer, 0, byteLength)
    this.#index = new OffsetIndex(new Uint8Array(buffer, 0, byteLength))
    this.length = this.#index.length
    this.byteLength = byteLength
    this.documents = Object.freeze(
      docs.map((d) =>
        Object.freeze({
          name: d.name,
          start: this.#index.unitOf(d.byteStart),
          end: this.#index.unitOf(d.byteEnd),
          byteStart: d.byteStart,
          byteEnd: d.byteEnd,
        }),
      ),
    )
    this.warnings = Object.freeze([...warnings])
    this.encoding = encoding
  }

  /** Text between UTF-16 offsets, with String.prototype.slice semantics (negatives count from the end). */
  slice(start = 0, end: number = this.length): string {
    const t0 = performance.now()
    const [s, e] = clampRange(start, end, this.length)
    const text = this.#read(s, e)
    this.#record('slice', s, e, text.length, t0)
    return text
  }

  /** Lines from..to, 1-based and inclusive (as sed -n 'from,to p'), joined by "\n", without the last newline. */
  lines(from: number, to: number = from): string {
    const t0 = performance.now()
    const first = Math.max(1, Math.floor(from))
    const last = Math.min(this.lineCount, Math.floor(to))
    if (last < first) {
      this.#record('lines', this.length, this.length, 0, t0)
      return ''
    }
    const bs = this.#index.byteOfLine(first)
    let be = this.#index.byteOfLine(last + 1)
    if (be > bs && this.#buf[be - 1] === 10 && last < this.lineCount) be--
    const text = this.#buf.toString('utf8', bs, be)
    this.#record('lines', this.#index.unitOf(bs), this.#index.unitOf(be), text.length, t0)
    return text
  }

  /** Number of lines (a trailing newline does not start another line... unless text follows it). */
  get lineCount(): number {
    const nl = this.#index.newlines
    return this.byteLength === 0 ? 0 : this.#buf[this.byteLength - 1] === 10 ? nl : nl + 1
  }

  /** 1-based line number holding UTF-16 offset `offset`. */
  lineOf(offset: number): number {
    return this.#index.lineOfByte(this.#index.byteOf(Math.max(0, Math.min(offset, this.length))).byte)
  }

  /** Document holding UTF-16 offset `offset` (undefined between documents). */
  documentAt(offset: number): ContextDocument | undefined {
    return this.documents.find((d) => offset >= d.start && offset < d.end)
  }

  /**
   * Linear-time search. A string pattern is RE2 syntax (a RegExp's source and flags work too);
   * `literal: true` matches it as is. Lookaround and backreferences throw E_BAD_PATTERN.
   */
  search(pattern: string | RegExp, options?: SearchOptions): SearchHit[] {
    const t0 = performance.now()
    const opts = parseOptions(searchOptionsSchema, options, 'search(pattern, options)')
    const compiled = compilePattern(pattern, opts)
    const hits = searchDocuments(this.#index, this.#docsNamed(opts.document), compiled, opts)
    this.#record('search', 0, this.length, hits.length, t0, compiled.source)
    return hits
  }

  /**
   * JavaScript RegExp semantics on the whole text (documents do not matter): the matches
   * RegExp#exec would return on ctx.text, with captures and named groups, from `from`, repeated
   * with JavaScript's global/sticky lastIndex rules up to `limit`. Runs on the linear-time engine:
   * lookaround and backreferences throw E_UNSUPPORTED; see the README for the few edge differences.
   */
  execRegExp(
    pattern: RegExp | { source: string; flags: string },
    options?: RegExpExecOptions,
  ): RegExpExecMatch[] {
    const t0 = performance.now()
    const p = parseOptions(regExpSchema, pattern, 'execRegExp(pattern)')
    const opts = parseOptions(regExpExecOptionsSchema, options, 'execRegExp(pattern, options)')
    const found = execJsRegExp(this.#index, p.source, p.flags, opts)
    this.#record('search', 0, this.length, found.length, t0, `/${p.source}/${p.flags}`)
    return found
  }

  /** execRegExp() on a worker thread, cancelled by `signal` (see searchAsync). */
  async execRegExpAsync(
    pattern: RegExp | { source: string; flags: string },
    options?: RegExpExecOptions & TaskOptions,
  ): Promise<RegExpExecMatch[]> {
    const t0 = performance.now()
    const { signal, ...rest } = options ?? {}
    const p = parseOptions(regExpSchema, pattern, 'execRegExp(pattern)')
    const opts = parseOptions(regExpExecOptionsSchema, rest, 'execRegExp(pattern, options)')
    const found = await runTask<RegExpExecMatch[]>(
      { op: 'exec', ...this.#shared(), source: p.source, flags: p.flags, options: opts },
      'execRegExp()',
      signal,
    )
    this.#record('search', 0, this.length, found.length, t0, `/${p.source}/${p.flags}`)
    return found
  }

  /**
   * search() on a worker thread: this thread's event loop keeps turning during a slow scan, and
   * aborting `signal` terminates the scan (rejects with the signal's RlmError reason, else E_ABORTED).
   */
  async searchAsync(pattern: string | RegExp, options?: SearchOptions & TaskOptions): Promise<SearchHit[]> {
    const t0 = performance.now()
    const { signal, ...rest } = options ?? {}
    const opts = parseOptions(searchOptionsSchema, rest, 'search(pattern, options)')
    checkPattern(pattern)
    const docs = this.#docsNamed(opts.document)
    const hits = await runTask<SearchHit[]>(
      { op: 'search', ...this.#shared(), docs: [...docs], pattern, options: opts, bounds: opts },
      'search()',
      signal,
    )
    this.#record('search', 0, this.length, hits.length, t0, String(pattern))
    return hits
  }

  /** Splits the context; chunks never cross documents. See ChunkOptions for sizes and units. */
  chunk(options?: ChunkOptions): Chunk[] {
    const t0 = performance.now()
    const { docs, plan } = this.#chunkPlan(options)
    return this.#asChunks(planChunks(this.#index, docs, plan), t0, plan.strategy)
  }

  /** chunk() on a worker thread (see searchAsync): tokenizing a big context never blocks this one. */
  async chunkAsync(options?: ChunkOptions & TaskOptions): Promise<Chunk[]> {
    const t0 = performance.now()
    const { signal, ...rest } = options ?? {}
    const { docs, plan } = this.#chunkPlan(rest)
    const spans = await runTask<ChunkSpan[]>(
      { op: 'chunk', ...this.#shared(), docs: [...docs], plan },
      'chunk()',
      signal,
    )
    return this.#asChunks(spans, t0, plan.strategy)
  }

  #chunkPlan(options: ChunkOptions | undefined): { docs: readonly ContextDocument[]; plan: ChunkPlan } {
    const opts = parseOptions(chunkOptionsSchema, options, 'chunk(options)')
    const size = opts.size ?? DEFAULT_CHUNK_SIZE[opts.strategy]
    if (opts.strategy !== 'document' && opts.overlap >= size) {
      throw new RlmError(
        ContextErrorCode.badInput,
        `chunk(): overlap (${opts.overlap}) must be smaller than size (${size}).`,
      )
    }
    const plan: ChunkPlan = {
      strategy: opts.strategy,
      size,
      overlap: opts.overlap,
      encoding: this.encoding,
      exactTokens: opts.exactTokens,
      asciiRate: this.#rate(),
      maxChunks: opts.maxChunks,
    }
    return { docs: this.#docsNamed(opts.document), plan }
  }

  #asChunks(spans: ChunkSpan[], t0: number, strategy: string): Chunk[] {
    const chunks = spans.map(
      (span): Chunk =>
        Object.defineProperty(span, 'text', {
          get: () => this.readChunk(span),
          enumerable: false,
        }) as Chunk,
    )
    this.#record('chunk', 0, this.length, chunks.length, t0, strategy)
    return chunks
  }

  /** What a worker task needs to read this context: the shared text and the index's tables. */
  #shared(): { buffer: SharedArrayBuffer; byteLength: number; index: OffsetIndexParts } {
    const bytes = this.#index.bytes
    return { buffer: bytes.buffer as SharedArrayBuffer, byteLength: bytes.length, index: this.#index.parts() }
  }

  /** Text of a chunk (or any {start, end}), logged as a chunk read. */
  readChunk(chunk: { start: number; end: number }): string {
    const t0 = performance.now()
    const [s, e] = clampRange(chunk.start, chunk.end, this.length)
    const text = this.#read(s, e)
    this.#record('read-chunk', s, e, text.length, t0)
    return text
  }

  /** Instant token estimate (calibrated on o200k_base; see README for its measured error). */
  estimateTokens(start = 0, end: number = this.length): number {
    const [s, e] = clampRange(start, end, this.length)
    return estimateTokenCount(this.#index.byteOf(e).byte - this.#index.byteOf(s).byte, e - s, this.#rate())
  }

  #rate(): number {
    this.#asciiRate ??= asciiTokenRate(this.#index.bytes)
    return this.#asciiRate
  }

  /** Exact tiktoken count of all documents (separators excluded), cached per encoding. */
  countTokens(options: CountTokensOptions = {}): Promise<number> {
    const encoding = options.encoding ?? (options.model ? encodingForModel(options.model) : this.encoding)
    let count = this.#exact.get(encoding)
    if (!count) {
      const ranges: number[] = []
      for (const d of this.documents) {
        const cuts = tokenPieces(this.#index.bytes, d.byteStart, d.byteEnd)
        for (let i = 0; i + 1 < cuts.length; i++) ranges.push(cuts[i] as number, cuts[i + 1] as number)
      }
      const opts = options.workers === undefined ? { encoding } : { encoding, workers: options.workers }
      count = countRanges(this.#index.bytes, ranges, opts)
      count.catch(() => this.#exact.delete(encoding))
      this.#exact.set(encoding, count)
    }
    return count
  }

  /** The shape shown to the root model: size, tokens, documents, type and a preview. */
  shape(previewChars = 500): ContextShape {
    const preview = this.#read(0, Math.min(this.length, previewChars))
    const names = this.documents.map((d) => d.name)
    return {
      length: this.length,
      bytes: this.byteLength,
      lines: this.lineCount,
      estimatedTokens: this.estimateTokens(),
      documentCount: this.documents.length,
      documentNames: names.slice(0, 20),
      type: detectType(
        sampleWindows((s, e) => this.#read(s, e), this.length),
        names,
      ),
      preview,
    }
  }

  /** shape() as the short text the root model is shown. */
  describe(previewChars = 500): string {
    return formatShape(this.shape(previewChars))
  }

  /**
   * The whole text as one string (not logged, not cached: each call decodes). Throws
   * E_CONTEXT_TOO_LARGE past `maxLength` (default V8's limit); check `length` first.
   */
  toString(maxLength = MAX_STRING_LENGTH): string {
    if (this.length > maxLength) {
      throw new RlmError(
        ContextErrorCode.tooLarge,
        `The context has ${this.length} characters, more than ${maxLength} fit in one string; read it with slice(), lines(), search() or chunk() instead.`,
        { details: { limit: 'maxLength', maxLength } },
      )
    }
    return this.#buf.toString('utf8')
  }

  /** Same as toString(). */
  get text(): string {
    return this.toString()
  }

  /** UTF-8 bytes of the whole context, a view on the SharedArrayBuffer (no copy; do not write). */
  bytes(): Uint8Array {
    return this.#index.bytes
  }

  /** UTF-8 byte position of a UTF-16 offset (and back), for code that reads bytes(). */
  byteOffset(offset: number): number {
    return this.#index.byteOf(offset).byte
  }

  charOffset(byteOffset: number): number {
    return this.#index.unitOf(byteOffset)
  }

  /** Every slice, lines, search, chunk and chunk read so far (the latest 10,000). */
  get accessLog(): readonly AccessEvent[] {
    return this.#log.events
  }

  /** Calls listener on every access; returns the unsubscribe function. */
  onAccess(listener: AccessListener): () => void {
    return this.#log.subscribe(listener)
  }

  #read(s: number, e: number): string {
    if (e <= s) return ''
    const bs = this.#index.byteOf(s)
    const be = this.#index.byteOf(e)
    // Offsets inside a surrogate pair: decode the whole character and cut the string, as JS would.
    if (!bs.mid && !be.mid) return this.#buf.toString('utf8', bs.byte, be.byte)
    const to = be.mid ? be.byte + 4 : be.byte
    const text = this.#buf.toString('utf8', bs.byte, to)
    return text.slice(bs.mid ? 1 : 0, text.length - (be.mid ? 1 : 0))
  }

  #docsNamed(name: string | undefined): readonly ContextDocument[] {
    if (name === undefined) return this.documents
    const docs = this.documents.filter((d) => d.name === name)
    if (docs.length === 0) {
      throw new RlmError(
        ContextErrorCode.badInput,
        `No document named ${JSON.stringify(name)}; see ctx.documents.`,
      )
    }
    return docs
  }

  #record(kind: AccessKind, start: number, end: number, results: number, t0: number, detail?: string): void {
    const event: AccessEvent = {
      kind,
      start,
      end,
      results,
      ms: performance.now() - t0,
      at: Date.now() - (performance.now() - t0),
    }
    if (detail !== undefined) event.detail = detail
    this.#log.record(event)
  }
}

function clampRange(start: number, end: number, length: number): [number, number] {
  const norm = (v: number) => {
    const n = Number.isFinite(v) ? Math.trunc(v) : v > 0 ? length : 0
    return n < 0 ? Math.max(0, length + n) : Math.min(n, length)
  }
  const s = norm(start)
  return [s, Math.max(s, norm(end))]
}
