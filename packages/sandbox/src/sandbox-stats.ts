// sandboxStats: how many sandboxes and worker threads this process holds, so callers and tests can
// check that everything they created was let go.
import { liveSandboxCount } from './sandbox.ts'
import { spareCount, workerCount } from './worker-pool.ts'

export interface SandboxStats {
  /** Sandboxes created (or being created) and not yet disposed. */
  live: number
  /** Spare workers the warm pool holds (booting or warm). */
  spares: number
  /** Worker threads running: live sandboxes' workers, spares, and any still shutting down. */
  workers: number
}

/**
 * Counts for this process. Once every sandbox is disposed (and `dispose()` has resolved),
 * `live` is 0 and `workers` equals `spares`.
 */
export function sandboxStats(): SandboxStats {
  return { live: liveSandboxCount(), spares: spareCount(), workers: workerCount() }
}
