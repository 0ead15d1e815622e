// Worker: scans the second half of a big line-local regex search straight from the shared text
// buffer (no copy) and hands the matches back on a port the blocked main thread reads synchronously.
import { type MessagePort, parentPort, workerData } from 'node:worker_threads'
import { RE2JS } from 're2js'
import { CANCEL, DONE, type ScanJob, SLICE_BLOCKS } from './parallel-search-protocol.ts'
import { bigBlockEnd, matchRange } from './regex-blocks.ts'

const { control, port } = workerData as { control: SharedArrayBuffer; port: MessagePort }
const ctrl = new Int32Array(control)
let cached: { source: string; flags: number; re: RE2JS } | undefined

parentPort?.on('message', (job: ScanJob) => {
  try {
    if (cached?.source !== job.source || cached.flags !== job.flags)
      cached = { source: job.source, flags: job.flags, re: RE2JS.compile(job.source, job.flags) }
    const re = cached.re
    const bytes = new Uint8Array(job.buffer, job.offset, job.length)
    const out: number[] = []
    let a = job.from
    // Slices of whole blocks, so a cancelled job (main found enough) stops soon.
    while (a < job.to && Atomics.load(ctrl, CANCEL) < job.id) {
      let b = a
      for (let k = 0; k < SLICE_BLOCKS && b < job.to; k++) b = bigBlockEnd(bytes, b, job.to)
      const more = matchRange(bytes, a, b, re, true, (s, e) => {
        out.push(s, e)
        return out.length / 2 < job.limit
      })
      if (!more) break
      a = b
    }
    const matches = Float64Array.from(out)
    port.postMessage({ id: job.id, matches }, [matches.buffer])
  } catch (err) {
    port.postMessage({ id: job.id, error: String(err) })
  }
  Atomics.store(ctrl, DONE, job.id)
  Atomics.notify(ctrl, DONE)
})
