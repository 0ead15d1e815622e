// sandboxStats: how many sandboxes and worker threads this process holds, so callers and tests can
// check that everything they created was let go.
import { liveSandboxCount } from './sandbox.ts'
import { spareCount, threadsStarted, workerCount } from './worker-pool.ts'

export interface SandboxStats {
  /** Sandboxes created (or being created) and not yet disposed. */
  live: number
  /** Spare workers the warm pool holds (booting or warm). */
  spares: number
  /** Worker threads running: live sandboxes' workers, spares, and any still shutting down. */
  workers: number
  /**
   * Worker threads started since the process began. A disposed sandbox's worker serves the next
   * create, so sandboxes made one after another start no new threads.
   */
  threadsStarted: number
}

/**
 * Counts for this process. Once every sandbox is disposed (and `dispose()` has resolved),
 * `live` is 0 and `workers` equals `spares`.
 */
export function sandboxStats(): SandboxStats {
  return {
    live: liveSandboxCount(),
    spares: spareCount(),
    workers: workerCount(),
    threadsStarted: threadsStarted(),
  }
}
