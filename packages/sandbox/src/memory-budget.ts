// createMemoryBudget: one limit on the WebAssembly heaps of several sandboxes together (e.g. every
// sandbox of one run). Each heap is charged as it grows and given back when its worker stops.
import { RlmError } from '@rlm/errors'
import { charge, type LedgerBuffers, ledgerPages, newLedger } from './memory-ledger.ts'
import { MIN_PAGES, PAGE } from './memory-pages.ts'

/** A memory limit shared by the sandboxes created with it (`createSandbox({ memoryBudget })`). */
export interface MemoryBudget {
  readonly limitBytes: number
  /** Bytes of WebAssembly heap held right now by the live sandboxes of this budget. */
  readonly usedBytes: number
}

const MIB = 2 ** 20
const MAX_LIMIT_PAGES = 2 ** 31 - 1

class SharedMemoryBudget implements MemoryBudget {
  readonly limitBytes: number
  readonly ledger: SharedArrayBuffer

  constructor(limitBytes: number) {
    this.limitBytes = limitBytes
    this.ledger = newLedger(Math.min(MAX_LIMIT_PAGES, Math.floor(limitBytes / PAGE)))
  }

  get usedBytes(): number {
    return ledgerPages(this.ledger).used * PAGE
  }

  /** An account for a new worker, charged its starting heap; throws E_MEMORY when that does not fit. */
  open(): LedgerBuffers {
    const buffers = { ledger: this.ledger, account: new SharedArrayBuffer(4) }
    if (charge(buffers, MIN_PAGES)) return buffers
    const { limit, used } = ledgerPages(this.ledger)
    throw new RlmError(
      'E_MEMORY',
      `The shared memory budget is used up: ${mib(used * PAGE)} of ${mib(limit * PAGE)} is held by live sandboxes, and a new sandbox needs ${mib(MIN_PAGES * PAGE)} to start. Dispose of sandboxes that are done, or create the budget with a larger limit.`,
      { details: { limitBytes: limit * PAGE, usedBytes: used * PAGE, neededBytes: MIN_PAGES * PAGE } },
    )
  }
}

function mib(bytes: number): string {
  return `${Math.round(bytes / MIB).toLocaleString('en-US')} MiB`
}

/**
 * A budget for the WebAssembly heaps of many sandboxes together. A sandbox created with it is
 * charged its starting heap (16 MiB) on create, each growth of its heap while it runs, and is
 * refunded when disposed (or when its worker is replaced). A create that does not fit rejects with
 * `E_MEMORY` at once (it never waits: a parent waiting on children that wait for memory could
 * deadlock); a growth that does not fit is an out-of-memory error in that guest only (`E_MEMORY`).
 * Throws `E_CONFIG` for a limit that is not a whole number of bytes of at least 16 MiB.
 */
export function createMemoryBudget(limitBytes: number): MemoryBudget {
  if (!Number.isSafeInteger(limitBytes) || limitBytes < MIN_PAGES * PAGE) {
    throw new RlmError(
      'E_CONFIG',
      `createMemoryBudget(limitBytes): expected a whole number of bytes of at least ${MIN_PAGES * PAGE} (16 MiB), got ${String(limitBytes)}.`,
    )
  }
  return new SharedMemoryBudget(limitBytes)
}

export function isSharedMemoryBudget(value: unknown): value is SharedMemoryBudget {
  return value instanceof SharedMemoryBudget
}

export type { SharedMemoryBudget }
