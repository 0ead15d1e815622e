// Waiting for a Redis-side admission (a rate-limit booking, a concurrency lease): the script
// answers "granted" or "try again in N ms"; the caller sleeps a bounded, jittered time, and stops
// at once when its signal aborts.
import { RlmError } from '@rlm/errors'

/** Runs `attempt` until it returns -1 (granted); a positive value is how long to wait first. */
export async function pollUntilGranted(
  attempt: () => Promise<number>,
  options: { maxSleepMs: number; signal?: AbortSignal | undefined; what: string },
): Promise<void> {
  for (;;) {
    if (options.signal?.aborted) throw aborted(options.what, options.signal.reason)
    const waitMs = await attempt()
    if (waitMs < 0) return
    // Jitter keeps many workers from polling in lockstep.
    const sleep = Math.max(1, Math.min(waitMs, options.maxSleepMs)) * (0.75 + Math.random() * 0.5)
    await sleepFor(sleep, options.signal, options.what)
  }
}

function aborted(what: string, reason: unknown): RlmError {
  return new RlmError('E_ABORTED', `Cancelled while waiting for ${what}.`, { cause: reason })
}

function sleepFor(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(aborted(what, signal?.reason))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
