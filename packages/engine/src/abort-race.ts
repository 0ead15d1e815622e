// Ends a wait when its scope is cancelled, whether or not the awaited work notices the signal
// (a provider or a sandbox cell that ignores it cannot hold a cancelled run).

/** `pending`'s outcome, or `onAbort()`'s (a value, or a throw) as soon as `signal` aborts. */
export function raceAbort<T, U>(pending: Promise<T>, signal: AbortSignal, onAbort: () => U): Promise<T | U> {
  if (signal.aborted) {
    pending.catch(() => {})
    return Promise.resolve().then(onAbort)
  }
  return new Promise<T | U>((resolve, reject) => {
    const abort = (): void => {
      try {
        resolve(onAbort())
      } catch (e) {
        reject(e)
      }
    }
    signal.addEventListener('abort', abort, { once: true })
    pending.then(
      (v) => {
        signal.removeEventListener('abort', abort)
        resolve(v)
      },
      (e: unknown) => {
        signal.removeEventListener('abort', abort)
        reject(e)
      },
    )
  })
}
