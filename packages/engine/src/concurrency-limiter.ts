// One limiter shared by a whole recursion tree: every model call (root turns, sub-calls, the
// children's calls) takes a slot, so a batch of 10,000 prompts never floods the provider or host.

import { RlmError } from '@rlm/errors'

export interface ConcurrencyLimiter {
  readonly limit: number
  readonly active: number
  readonly pending: number
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>
}

export function createConcurrencyLimiter(limit: number): ConcurrencyLimiter {
  let active = 0
  // A FIFO of waiters with a moving head: shift() on a 10,000-long array is quadratic.
  let queue: Array<(() => void) | undefined> = []
  let head = 0

  const release = (): void => {
    while (head < queue.length) {
      const next = queue[head]
      queue[head++] = undefined
      if (next) {
        next() // hands our slot over; `active` stays the same
        return
      }
    }
    queue = []
    head = 0
    active--
  }

  const acquire = (signal?: AbortSignal): Promise<void> => {
    if (active < limit) {
      active++
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const q = queue
      const index = q.length
      const onAbort = (): void => {
        q[index] = undefined
        reject(abortError(signal))
      }
      queue.push(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      })
      if (signal) {
        if (signal.aborted) onAbort()
        else signal.addEventListener('abort', onAbort, { once: true })
      }
    })
  }

  return {
    limit,
    get active() {
      return active
    },
    get pending() {
      let n = 0
      for (let i = head; i < queue.length; i++) if (queue[i]) n++
      return n
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
  const reason = signal?.reason
  if (reason instanceof RlmError) return reason
  return new RlmError('E_ABORTED', 'The run was cancelled before this call could start.', { cause: reason })
}
