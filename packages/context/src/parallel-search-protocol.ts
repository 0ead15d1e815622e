// Messages and shared control slots between the parallel search and its worker.

/** Int32 slots of the control buffer: the last finished job id, and the highest cancelled one. */
export const DONE = 0
export const CANCEL = 1

/** Blocks (256 KiB each) the worker scans between checks for cancellation. */
export const SLICE_BLOCKS = 16

export interface ScanJob {
  id: number
  buffer: SharedArrayBuffer
  offset: number
  length: number
  source: string
  flags: number
  /** Byte range of the view to scan; both are block boundaries of the whole search. */
  from: number
  to: number
  /** Stop after this many matches. */
  limit: number
}

export interface ScanResult {
  id: number
  /** Match [start, end) pairs, in order. */
  matches?: Float64Array
  error?: string
}
