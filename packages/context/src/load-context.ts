// loadContext: reads text, files, directories, stdin or named documents straight into one
// shared UTF-8 buffer (no intermediate copies) and returns a Context over it.
import { constants } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import path from 'node:path'
import { RlmError } from '@rlm/errors'
import { z } from 'zod'
import { Context } from './context.ts'
import { ContextErrorCode, type ContextWarning, tooLargeError } from './context-errors.ts'
import { walkDirectory } from './directory-walk.ts'
import { DEFAULT_FIRST_BYTE_TIMEOUT_MS, firstByteWithin, openSpecialFile } from './special-input.ts'
import { TextStoreBuilder } from './text-store.ts'
import { encodingForModel, type TokenEncodingName } from './token-encoding.ts'

const byteSource = z.custom<AsyncIterable<Uint8Array | string>>(
  (v) => typeof v === 'object' && v !== null && Symbol.asyncIterator in v,
  'expected an async iterable of Uint8Array or string chunks (e.g. a Readable)',
)

export const contextInputSchema = z.union([
  z.string(),
  z.object({ text: z.string(), name: z.string().optional() }).strict(),
  z.object({ path: z.string().min(1) }).strict(),
  z.object({ paths: z.array(z.string().min(1)) }).strict(),
  z.object({ documents: z.array(z.object({ name: z.string(), text: z.string() }).strict()) }).strict(),
  z.object({ stdin: z.union([z.literal(true), byteSource]), name: z.string().optional() }).strict(),
])

/** A string is the text itself; `stdin: true` reads process.stdin (or pass any byte stream). */
export type ContextInput = z.input<typeof contextInputSchema>

export const loadOptionsSchema = z
  .object({
    /** Largest context in UTF-8 bytes (default 1 GiB). */
    maxBytes: z
      .number()
      .int()
      .positive()
      .default(2 ** 30),
    /** Files larger than this are skipped with a warning when walking directories (default 16 MiB). */
    maxFileSize: z
      .number()
      .int()
      .positive()
      .default(16 * 2 ** 20),
    /** Extra .gitignore-style patterns for directory walks. */
    ignore: z.array(z.string()).default([]),
    /** Skip DEFAULT_IGNORES (.git, node_modules, dist, build, ...) in directory walks (default true). */
    defaultIgnores: z.boolean().default(true),
    /** Follow file symlinks that resolve outside the walked directory (default false: skipped with a warning). */
    followSymlinks: z.boolean().default(false),
    /** Longest wait for the first byte of stdin or of a FIFO/device named as a path (default 5 s). */
    firstByteTimeoutMs: z.number().int().positive().default(DEFAULT_FIRST_BYTE_TIMEOUT_MS),
    /** Model id that picks the token encoding; or name the encoding. */
    model: z.string().optional(),
    encoding: z.enum(['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base']).optional(),
  })
  .strict()

export type LoadOptions = z.input<typeof loadOptionsSchema>

const SEPARATOR = '\n'

export async function loadContext(input: ContextInput, options?: LoadOptions): Promise<Context> {
  const parsedInput = contextInputSchema.safeParse(input)
  if (!parsedInput.success) {
    throw new RlmError(
      ContextErrorCode.badInput,
      'loadContext(input): pass a string, { text }, { path }, { paths: [...] }, { documents: [{ name, text }] } or { stdin: true }.',
      { cause: parsedInput.error },
    )
  }
  const parsed = loadOptionsSchema.safeParse(options ?? {})
  if (!parsed.success) {
    throw new RlmError(ContextErrorCode.badInput, `loadContext options: ${parsed.error.issues[0]?.message}`, {
      cause: parsed.error,
    })
  }
  const opts = parsed.data
  const loader = new Loader(opts)
  const src = parsedInput.data
  if (typeof src === 'string') loader.text('text', src)
  else if ('text' in src) loader.text(src.name ?? 'text', src.text)
  else if ('documents' in src) {
    if (src.documents.length === 0) throw emptyError('the documents array is empty')
    for (const d of src.documents) loader.text(d.name, d.text)
  } else if ('path' in src) await loader.path(src.path, false)
  else if ('paths' in src) {
    if (src.paths.length === 0) throw emptyError('the paths array is empty')
    for (const p of src.paths) await loader.path(p, true)
  } else {
    const name = src.name ?? 'stdin'
    await loader.stream(name, src.stdin === true ? process.stdin : src.stdin, name)
  }
  if (loader.docs.length === 0) {
    throw emptyError(
      `no readable text files were found${loader.warnings.length ? ` (${loader.warnings.length} skipped, see details)` : ''}`,
      loader.warnings,
    )
  }
  const encoding: TokenEncodingName = opts.encoding ?? encodingForModel(opts.model)
  return new Context(loader.store.finish(), loader.store.used, loader.docs, loader.warnings, encoding)
}

function emptyError(why: string, warnings: ContextWarning[] = []): RlmError {
  return new RlmError(
    ContextErrorCode.empty,
    `The context is empty: ${why}. Give at least one document with text.`,
    {
      details: { warnings },
    },
  )
}

class Loader {
  readonly store: TextStoreBuilder
  readonly docs: Array<{ name: string; byteStart: number; byteEnd: number }> = []
  readonly warnings: ContextWarning[] = []
  readonly #opts: z.output<typeof loadOptionsSchema>

  constructor(opts: z.output<typeof loadOptionsSchema>) {
    this.#opts = opts
    this.store = new TextStoreBuilder(opts.maxBytes)
  }

  #begin(): number {
    if (this.docs.length > 0) this.store.appendString(SEPARATOR, 'a document separator')
    return this.store.used
  }

  text(name: string, text: string): void {
    const start = this.#begin()
    this.store.appendString(text, `document ${JSON.stringify(name)}`)
    if (!text.isWellFormed()) {
      this.warnings.push({
        code: 'W_INVALID_UTF8',
        message: `Document ${JSON.stringify(name)} has lone surrogates; they were replaced by U+FFFD.`,
        path: name,
      })
    }
    this.docs.push({ name, byteStart: start, byteEnd: this.store.used })
  }

  async path(p: string, many: boolean): Promise<void> {
    const s = await stat(p).catch((cause: NodeJS.ErrnoException) => {
      throw new RlmError(
        ContextErrorCode.notFound,
        `Context path not found: ${p} (${cause.code ?? cause.message}). Check the path, relative to ${process.cwd()}.`,
        { cause, details: { path: p } },
      )
    })
    if (s.isDirectory()) {
      const { files, warnings } = await walkDirectory(p, {
        ignore: this.#opts.ignore,
        defaultIgnores: this.#opts.defaultIgnores,
        followSymlinks: this.#opts.followSymlinks,
      })
      this.warnings.push(...warnings)
      for (const f of files) {
        const name = many ? path.posix.join(p.split(path.sep).join('/'), f.relative) : f.relative
        if (f.size > this.#opts.maxFileSize) {
          this.warnings.push({
            code: 'W_FILE_TOO_LARGE_SKIPPED',
            message: `Skipped ${name}: ${f.size} bytes is over maxFileSize (${this.#opts.maxFileSize}); raise maxFileSize to include it.`,
            path: name,
          })
          continue
        }
        await this.file(f.path, name, f.size)
      }
    } else if (s.isFile()) {
      await this.file(p, p, s.size)
    } else {
      await this.stream(p, await openSpecialFile(p, s), p)
    }
  }

  async file(file: string, name: string, size: number): Promise<void> {
    const start = this.#begin()
    let handle: Awaited<ReturnType<typeof open>>
    try {
      handle = await openRegular(file)
    } catch (cause) {
      this.#undoSeparator(start)
      this.warnings.push({
        code: 'W_UNREADABLE_SKIPPED',
        message: `Skipped ${name}: ${(cause as Error).message}`,
        path: name,
      })
      return
    }
    try {
      if (start + size > this.#opts.maxBytes)
        throw tooLargeError(this.#opts.maxBytes, `${name} (${size} bytes) brings it to ${start + size} bytes`)
      const view = this.store.reserve(size, name)
      let got = 0
      while (got < size) {
        const { bytesRead } = await handle.read(view, got, size - got, got)
        if (bytesRead === 0) break
        got += bytesRead
      }
      if (isBinary(view.subarray(0, Math.min(got, 8000)))) {
        this.#undoSeparator(start)
        this.warnings.push({ code: 'W_BINARY_SKIPPED', message: `Skipped binary file ${name}.`, path: name })
        return
      }
      this.store.commit(got)
    } finally {
      await handle.close()
    }
    this.#finishDoc(name, start)
  }

  /** A stream whose first byte must arrive within firstByteTimeoutMs; `what` names it in errors. */
  async stream(name: string, source: AsyncIterable<Uint8Array | string>, what: string): Promise<void> {
    const start = this.#begin()
    for await (const chunk of firstByteWithin(source, this.#opts.firstByteTimeoutMs, what)) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
      this.store.reserve(bytes.length, name).set(bytes)
      this.store.commit(bytes.length)
    }
    this.#finishDoc(name, start)
  }

  #finishDoc(name: string, start: number): void {
    const replaced = this.store.repairFrom(start, name)
    if (replaced > 0) {
      this.warnings.push({
        code: 'W_INVALID_UTF8',
        message: `${name}: ${replaced} invalid UTF-8 sequence(s) replaced by U+FFFD.`,
        path: name,
        count: replaced,
      })
    }
    this.docs.push({ name, byteStart: start, byteEnd: this.store.used })
  }

  /** Drops the separator written for a document that was then skipped. */
  #undoSeparator(start: number): void {
    if (this.docs.length > 0) this.store.truncate(start - SEPARATOR.length)
  }
}

/** Opens non-blocking, so a file swapped for a FIFO after the walk cannot stall the open. */
async function openRegular(file: string): Promise<Awaited<ReturnType<typeof open>>> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK)
  const regular = await handle.stat().then(
    (s) => s.isFile(),
    () => false,
  )
  if (regular) return handle
  await handle.close()
  throw new Error('not a regular file (any more)')
}

/** Git's rule: a NUL byte in the first 8000 bytes means binary. */
function isBinary(head: Uint8Array): boolean {
  return head.indexOf(0) !== -1
}
