/// <reference path="./wasm-globals.d.ts" />
// Worker side of a shared memory budget: each growth of this worker's WebAssembly heap is charged
// to the budget before it happens. The emscripten glue grows the heap through `memory.grow` inside
// a try/catch, so a refusal is an ordinary failed allocation: out of memory in the guest only.
import { charge, heldPages, type LedgerBuffers, uncharge } from './memory-ledger.ts'
import { PAGE } from './memory-pages.ts'

export interface GrowthCharges {
  /** Growths the budget refused so far. */
  refusals: number
}

/**
 * Charges the heap this worker has beyond what the host charged when it opened the account, then
 * every later growth. Returns null when the budget cannot hold even the current heap.
 */
export function chargeGrowth(memory: WebAssembly.Memory, buffers: LedgerBuffers): GrowthCharges | null {
  const extra = memory.buffer.byteLength / PAGE - heldPages(buffers)
  if (extra > 0 && !charge(buffers, extra)) return null
  const charges: GrowthCharges = { refusals: 0 }
  const grow = memory.grow.bind(memory)
  Object.defineProperty(memory, 'grow', {
    configurable: true,
    value: (pages: number): number => {
      if (!charge(buffers, pages)) {
        charges.refusals++
        throw new RangeError('the shared memory budget has no room for this growth')
      }
      try {
        return grow(pages)
      } catch (error) {
        uncharge(buffers, pages) // past the memory's own maximum: nothing grew
        throw error
      }
    },
  })
  return charges
}
