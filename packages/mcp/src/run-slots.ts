// How many rlm_ask runs may be in progress at once. Every server made from one options object
// shares the slots — all the sessions of one HTTP server — so parallel calls from agents queue
// instead of multiplying the sandboxes' memory. The engine's limiter (its own small entry point) is
// loaded on the first rlm_ask.

import type { ConcurrencyLimiter } from '@rlm/engine/concurrency-limiter'

export const DEFAULT_MAX_CONCURRENT_RUNS = 4

const shared = new WeakMap<object, Promise<ConcurrencyLimiter>>()

export function runSlots(owner: object, limit: number): Promise<ConcurrencyLimiter> {
  let slots = shared.get(owner)
  if (!slots) {
    slots = import('@rlm/engine/concurrency-limiter').then((m) => m.createConcurrencyLimiter(limit))
    shared.set(owner, slots)
  }
  return slots
}
