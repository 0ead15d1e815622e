// Inputs that are not regular files — stdin, FIFOs, `<(zcat log.gz)`, devices — read as byte
// streams that cannot hang a load: the first byte must arrive within a time limit, and the size
// is capped by the loader's maxBytes like any other input.
import { constants, createReadStream, open, type Stats } from 'node:fs'
import { Socket } from 'node:net'
import { promisify } from 'node:util'
import { RlmError } from '@rlm/errors'
import { ContextErrorCode } from './context-errors.ts'

/** Default wait for the first byte of stdin or a non-regular file (5 s). */
export const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 5000

/** A byte stream over a FIFO, character device or other non-regular file named explicitly. */
export async function openSpecialFile(file: string, s: Stats): Promise<AsyncIterable<Uint8Array>> {
  if (s.isSocket()) {
    throw new RlmError(
      ContextErrorCode.badInput,
      `Cannot read ${file}: it is a socket; pipe what it sends into rlm instead (e.g. \`socat - UNIX-CONNECT:${file} | rlm ...\`).`,
      { details: { path: file } },
    )
  }
  if (s.isFIFO()) {
    // Non-blocking open returns at once even with no writer yet; the socket then waits in the
    // event loop (not in a thread-pool read that nothing could cancel).
    // A raw descriptor, owned by the socket (a FileHandle would close it a second time on GC).
    const fd = await promisify(open)(file, constants.O_RDONLY | constants.O_NONBLOCK)
    return new Socket({ fd, readable: true, writable: false })
  }
  return createReadStream(file)
}

/**
 * Passes `source` through, failing with E_CONTEXT_INPUT if its first chunk has not arrived
 * within `ms` (the stream is then closed). Later chunks may take as long as they like.
 */
export async function* firstByteWithin(
  source: AsyncIterable<Uint8Array | string>,
  ms: number,
  what: string,
): AsyncGenerator<Uint8Array | string> {
  const it = source[Symbol.asyncIterator]()
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms)
  })
  let first: IteratorResult<Uint8Array | string> | 'timeout'
  try {
    first = await Promise.race([it.next(), timedOut])
  } finally {
    clearTimeout(timer)
  }
  if (first === 'timeout') {
    close(source, it)
    throw new RlmError(
      ContextErrorCode.badInput,
      `Nothing arrived on ${what} within ${ms} ms: start the program that writes to it first, or save its output to a file and load that (the wait is firstByteTimeoutMs; rlm: --first-byte-timeout).`,
      { details: { input: what, firstByteTimeoutMs: ms } },
    )
  }
  if (first.done) return
  let finished = false
  try {
    yield first.value
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value
    finished = true
  } finally {
    // The consumer stopped early (too large, an error): release the pipe.
    if (!finished) close(source, it)
  }
}

function close(source: unknown, it: AsyncIterator<unknown>): void {
  const stream = source as { destroy?: () => void }
  if (typeof stream.destroy === 'function') stream.destroy()
  else void it.return?.().catch(() => {})
}
