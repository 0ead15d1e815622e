// Whole-document regex scan on two cores: a persistent worker scans the second half of a big
// line-local range from the shared buffer while this thread scans the first, then waits for it.
import { availableParallelism } from 'node:os'
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads'
import type { RE2JS } from 're2js'
import { CANCEL, DONE, type ScanJob, type ScanResult } from './parallel-search-protocol.ts'
import { bigBlockEnd, matchRange, type OnMatch } from './regex-blocks.ts'
import { taskWorkerExecArgv } from './task-worker-flags.ts'

/** Ranges smaller than this are scanned on this thread (the hand-off costs more than it saves). */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024
/** Waiting for the worker is bounded: after max(this, 2x our own half's time) we scan its half. */
const MIN_WAIT_MS = 1000

/** How many halves the worker has scanned (tests check the split really happened). */
export const parallelStats = { workerScans: 0 }

interface Helper {
  worker: Worker
  port: MessagePort
  ctrl: Int32Array
  nextId: number
}

let helper: Helper | null | undefined
const workerUrl = new URL(
  `./parallel-search-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
)

/** The worker, started on first use; null when it cannot run (then everything stays on this thread). */
function getHelper(): Helper | null {
  if (helper === undefined) helper = availableParallelism() < 2 ? null : startHelper()
  return helper
}

function startHelper(): Helper | null {
  try {
    const control = new SharedArrayBuffer(8)
    const { port1, port2 } = new MessageChannel()
    const worker = new Worker(workerUrl, {
      execArgv: taskWorkerExecArgv(),
      workerData: { control, port: port2 },
      transferList: [port2],
    })
    // Never keeps the process alive; if it dies, later searches run single-threaded.
    worker.unref()
    port1.unref()
    const h: Helper = { worker, port: port1, ctrl: new Int32Array(control), nextId: 1 }
    worker.on('error', () => {
      if (helper === h) helper = null
    })
    worker.on('exit', () => {
      if (helper === h) helper = null
    })
    return h
  } catch {
    return null
  }
}

/**
 * Every match of the line-local `re` in bytes[from, to), in order, exactly as matchRange reports
 * them (the split is at one of its block boundaries). `limit` caps how many `found` will accept.
 */
export function matchRangeParallel(
  bytes: Uint8Array,
  from: number,
  to: number,
  re: RE2JS,
  limit: number,
  found: OnMatch,
): boolean {
  const h = bytes.buffer instanceof SharedArrayBuffer ? getHelper() : null
  let split = from
  if (h) while (split < to && split - from < (to - from) / 2) split = bigBlockEnd(bytes, split, to)
  if (!h || split >= to) return matchRange(bytes, from, to, re, true, found)

  const id = h.nextId++
  const job: ScanJob = {
    id,
    buffer: bytes.buffer as SharedArrayBuffer,
    offset: bytes.byteOffset,
    length: bytes.length,
    source: re.pattern(),
    flags: re.flags(),
    from: split,
    to,
    limit,
  }
  h.worker.postMessage(job)
  const t0 = performance.now()
  if (!matchRange(bytes, from, split, re, true, found)) {
    // The first half alone reached the limit: the second half's matches are not needed.
    Atomics.store(h.ctrl, CANCEL, id)
    return false
  }
  const result = awaitResult(h, id, Math.max(MIN_WAIT_MS, 2 * (performance.now() - t0)))
  if (!result?.matches) {
    Atomics.store(h.ctrl, CANCEL, id)
    return matchRange(bytes, split, to, re, true, found)
  }
  parallelStats.workerScans++
  const m = result.matches
  for (let i = 0; i + 1 < m.length; i += 2) if (!found(m[i] as number, m[i + 1] as number)) return false
  return true
}

/** Blocks (Atomics.wait) until job `id` is done or `waitMs` passed; stale results are dropped. */
function awaitResult(h: Helper, id: number, waitMs: number): ScanResult | undefined {
  const deadline = performance.now() + waitMs
  for (let done = Atomics.load(h.ctrl, DONE); done < id; done = Atomics.load(h.ctrl, DONE)) {
    const left = deadline - performance.now()
    if (left <= 0) break
    Atomics.wait(h.ctrl, DONE, done, left)
  }
  let result: ScanResult | undefined
  for (let msg = receiveMessageOnPort(h.port); msg; msg = receiveMessageOnPort(h.port)) {
    const r = msg.message as ScanResult
    if (r.id === id) result = r
  }
  return result
}
