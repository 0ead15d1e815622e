// One limiter shared by a whole recursion tree: every model call (root turns, sub-calls, the
// children's calls) takes a slot, so a batch of 10,000 prompts never floods the provider or host.
// Also `@rlm/engine/concurrency-limiter`, for front ends that bound their own runs (rlm mcp).

import { isRlmError, RlmError } from '@rlm/errors'

export interface ConcurrencyLimiter {
  readonly limit: number
  readonly active: number
  readonly pending: number
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>
}

interface Waiter {
  resolve: () => void
  reject: (e: unknown) => void
  signal: AbortSignal | undefined
  done: boolean
}

export function createConcurrencyLimiter(limit: number): ConcurrencyLimiter {
  let active = 0
  let pending = 0
  // A FIFO with a moving head: shift() on a 10,000-long array is quadratic.
  let queue: Waiter[] = []
  let head = 0
  // One abort listener per signal, not per waiter: EventTarget's add is linear in its listeners.
  const watched = new WeakSet<AbortSignal>()

  const release = (): void => {
    while (head < queue.length) {
      const next = queue[head++]!
      if (next.done) continue
      next.done = true
      pending--
      next.resolve() // hands our slot over; `active` stays the same
      return
    }
    queue = []
    head = 0
    active--
  }

  const watch = (signal: AbortSignal): void => {
    if (watched.has(signal)) return
    watched.add(signal)
    signal.addEventListener(
      'abort',
      () => {
        for (let i = head; i < queue.length; i++) {
          const w = queue[i]!
          if (w.done || w.signal !== signal) continue
          w.done = true
          pending--
          w.reject(abortError(signal))
        }
      },
      { once: true },
    )
  }

  const acquire = (signal?: AbortSignal): Promise<void> => {
    if (active < limit) {
      active++
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      queue.push({ resolve, reject, signal, done: false })
      pending++
      if (signal) watch(signal)
    })
  }

  return {
    limit,
    get active() {
      return active
    },
    get pending() {
      return pending
    },
    async run(task, signal) {
      if (signal?.aborted) throw abortError(signal)
      await acquire(signal)
      try {
        return await task()
      } finally {
        release()
      }
    },
  }
}

function abortError(signal: AbortSignal | undefined): RlmError {
  const reason: unknown = signal?.reason
  if (isRlmError(reason)) return reason
  return new RlmError('E_ABORTED', 'The run was cancelled before this call could start.', { cause: reason })
}
