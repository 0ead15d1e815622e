// Token counts: an instant estimate from byte/char counts, and an exact tiktoken count that
// splits the text where tokenization cannot cross, so pieces can be counted in parallel workers.
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { taskWorkerExecArgv } from './task-worker-flags.ts'
import { getEncoder, type TokenEncodingName } from './token-encoding.ts'

/**
 * Estimates are calibrated on o200k_base (see README): ASCII letters and spaces ~4.2 per token,
 * digits ~0.45 and other ASCII symbols ~0.65 tokens each, non-ASCII (CJK) ~0.74 per UTF-16 unit.
 * A context samples its own mix once (asciiTokenRate), so logs and code are not under-counted.
 */
const WORD_RATE = 1 / 4.2
const DIGIT_RATE = 0.45
const SYMBOL_RATE = 0.65
const NON_ASCII_RATE = 0.74
export const DEFAULT_ASCII_RATE = 0.25

/** Tokens for `bytes` UTF-8 bytes holding `units` UTF-16 units, given tokens per ASCII character. */
export function estimateTokenCount(bytes: number, units: number, asciiRate = DEFAULT_ASCII_RATE): number {
  if (units === 0) return 0
  // Multi-byte characters add 1-2 extra bytes each; assume 2 (CJK, the common heavy case).
  const nonAscii = Math.min(units, Math.max(0, bytes - units) / 2)
  return Math.max(1, Math.round((units - nonAscii) * asciiRate + nonAscii * NON_ASCII_RATE))
}

/** Tokens per ASCII character of this text, from up to 64 evenly spread 4 KiB samples. */
export function asciiTokenRate(bytes: Uint8Array): number {
  const SAMPLE = 4096
  const n = Math.min(64, Math.ceil(bytes.length / SAMPLE))
  // A histogram of byte values first (one branch-free increment a byte), then the rates per value:
  // a third of the time of classifying each byte as it comes.
  const seen = new Float64Array(256)
  for (let k = 0; k < n; k++) {
    const from = Math.floor((bytes.length - SAMPLE) * (n === 1 ? 0 : k / (n - 1)))
    for (let i = Math.max(0, from), end = Math.min(bytes.length, from + SAMPLE); i < end; i++)
      (seen[bytes[i] as number] as number)++
  }
  let chars = 0
  let tokens = 0
  for (let c = 0; c < 0x80; c++) {
    const count = seen[c] as number
    if (count === 0) continue
    chars += count
    const lower = c | 32
    if ((lower >= 97 && lower <= 122) || c === 32 || c === 10 || c === 9 || c === 13)
      tokens += count * WORD_RATE
    else if (c >= 48 && c <= 57) tokens += count * DIGIT_RATE
    else tokens += count * SYMBOL_RATE
  }
  return chars === 0 ? DEFAULT_ASCII_RATE : tokens / chars
}

const NL = 10
const PIECE = 1024 * 1024

/**
 * Cuts [from, to) into ~1 MiB pieces at "\n" followed by an ASCII letter: no tiktoken
 * pre-token spans such a point, so the sum of the pieces' counts equals the whole's count.
 */
export function tokenPieces(bytes: Uint8Array, from: number, to: number, piece = PIECE): number[] {
  const cuts = [from]
  let at = from
  while (to - at > piece) {
    let cut = -1
    for (let i = bytes.indexOf(NL, at + piece); i !== -1 && i < to - 1; i = bytes.indexOf(NL, i + 1)) {
      if (isAsciiLetter(bytes[i + 1] as number)) {
        cut = i + 1
        break
      }
      if (i > at + piece * 4) break
    }
    if (cut === -1 || cut >= to) {
      // No safe cut nearby: fall back to a character boundary (may shift the count by a token).
      cut = at + piece
      while (((bytes[cut] as number) & 0xc0) === 0x80) cut++
    }
    cuts.push(cut)
    at = cut
  }
  cuts.push(to)
  return cuts
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
}

/** Exact count of the given [start, end) byte ranges, on this thread. */
export function countRangesSync(
  bytes: Uint8Array,
  ranges: readonly number[],
  encoding: TokenEncodingName,
): number {
  const enc = getEncoder(encoding)
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  let total = 0
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    total += enc.encode_ordinary(buf.toString('utf8', ranges[i], ranges[i + 1])).length
  }
  return total
}

export interface ParallelCountOptions {
  encoding: TokenEncodingName
  /** Worker threads to use; 1 counts on this thread. Default: available cores, for texts over 8 MiB. */
  workers?: number
}

const PARALLEL_MIN_BYTES = 8 * 1024 * 1024

/** Exact count of byte ranges of a SharedArrayBuffer-backed view, split across workers when it pays. */
export async function countRanges(
  bytes: Uint8Array,
  ranges: number[],
  options: ParallelCountOptions,
): Promise<number> {
  let total = 0
  for (let i = 0; i + 1 < ranges.length; i += 2) total += (ranges[i + 1] as number) - (ranges[i] as number)
  const shared = bytes.buffer instanceof SharedArrayBuffer
  const wanted = options.workers ?? (total >= PARALLEL_MIN_BYTES ? availableParallelism() : 1)
  const workers = shared ? Math.min(wanted, ranges.length / 2) : 1
  if (workers <= 1) return countRangesSync(bytes, ranges, options.encoding)
  // Contiguous groups of about equal bytes, one per worker.
  const groups: number[][] = []
  const per = total / workers
  let group: number[] = []
  let acc = 0
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    group.push(ranges[i] as number, ranges[i + 1] as number)
    acc += (ranges[i + 1] as number) - (ranges[i] as number)
    if (acc >= per * (groups.length + 1) && groups.length < workers - 1) {
      groups.push(group)
      group = []
    }
  }
  if (group.length > 0) groups.push(group)
  const counts = await Promise.all(groups.map((g) => countInWorker(bytes, g, options.encoding)))
  return counts.reduce((a, b) => a + b, 0)
}

const workerUrl = new URL(
  `./token-count-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
)

function countInWorker(bytes: Uint8Array, ranges: number[], encoding: TokenEncodingName): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl, {
      execArgv: taskWorkerExecArgv(),
      workerData: { buffer: bytes.buffer, offset: bytes.byteOffset, length: bytes.length, ranges, encoding },
    })
    worker.once('message', (n: number) => {
      resolve(n)
      void worker.terminate()
    })
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`token counting worker exited with code ${code}`))
    })
  })
}
