// Host memory as the benchmarks report it: RSS and V8 heap after a full GC (needs --expose-gc),
// and the process's peak RSS so far.

export interface MemorySnapshot {
  rss: number
  heapUsed: number
  external: number
}

export function settledMemory(): MemorySnapshot {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc) {
    gc()
    gc()
  }
  const m = process.memoryUsage()
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external + m.arrayBuffers }
}

/** Highest RSS of this process since it started, in bytes. */
export const peakRss = (): number => process.resourceUsage().maxRSS * 1024
