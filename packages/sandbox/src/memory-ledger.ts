// Lock-free accounting of WebAssembly pages against a shared limit, usable from the host and from
// workers (SharedArrayBuffer + Atomics). A ledger is [limit, used]; an account is one sandbox's
// worker: [pages it holds], or CLOSED once the host let the worker go (it can charge no more).

const LIMIT = 0
const USED = 1
const CLOSED = -1

export interface LedgerBuffers {
  /** Int32 [limit pages, used pages], shared by every sandbox of one budget. */
  ledger: SharedArrayBuffer
  /** Int32 [pages held by this worker] or CLOSED. */
  account: SharedArrayBuffer
}

export function newLedger(limitPages: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(8)
  new Int32Array(buffer)[LIMIT] = limitPages
  return buffer
}

export function ledgerPages(ledger: SharedArrayBuffer): { limit: number; used: number } {
  const view = new Int32Array(ledger)
  return { limit: Atomics.load(view, LIMIT), used: Atomics.load(view, USED) }
}

/** Charges `pages` to the ledger and the account; false (nothing charged) when they do not fit. */
export function charge(buffers: LedgerBuffers, pages: number): boolean {
  const ledger = new Int32Array(buffers.ledger)
  const account = new Int32Array(buffers.account)
  for (;;) {
    const used = Atomics.load(ledger, USED)
    if (used + pages > Atomics.load(ledger, LIMIT)) return false
    if (Atomics.compareExchange(ledger, USED, used, used + pages) === used) break
  }
  for (;;) {
    const held = Atomics.load(account, 0)
    if (held === CLOSED) {
      Atomics.sub(ledger, USED, pages)
      return false
    }
    if (Atomics.compareExchange(account, 0, held, held + pages) === held) return true
  }
}

/** Gives back pages charged a moment ago (a grow that failed after all). */
export function uncharge(buffers: LedgerBuffers, pages: number): void {
  const ledger = new Int32Array(buffers.ledger)
  const account = new Int32Array(buffers.account)
  for (;;) {
    const held = Atomics.load(account, 0)
    if (held === CLOSED) return // closing already returned everything the account held
    if (Atomics.compareExchange(account, 0, held, held - pages) === held) break
  }
  Atomics.sub(ledger, USED, pages)
}

/** Pages the account holds now. */
export function heldPages(buffers: LedgerBuffers): number {
  return Math.max(0, Atomics.load(new Int32Array(buffers.account), 0))
}

/** Returns everything the account holds to the ledger; the account refuses further charges. */
export function closeAccount(buffers: LedgerBuffers): void {
  const held = Atomics.exchange(new Int32Array(buffers.account), 0, CLOSED)
  if (held > 0) Atomics.sub(new Int32Array(buffers.ledger), USED, held)
}
