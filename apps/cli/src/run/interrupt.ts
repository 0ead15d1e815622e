// Ctrl-C handling for a run: the first SIGINT aborts in-flight calls through an AbortSignal so
// the engine can return its partial answer and close the trace; a second one quits at once.

import { EXIT, RlmError } from '@rlm/errors'

export interface Interrupt {
  readonly signal: AbortSignal
  readonly interrupted: boolean
  dispose(): void
}

export function installInterrupt(onFirst?: () => void): Interrupt {
  const controller = new AbortController()
  let count = 0
  let first = 0
  const handler = (): void => {
    // One Ctrl-C can arrive twice (the terminal's process group and the launcher's forward).
    if (count === 1 && Date.now() - first < 500) return
    if (count === 0) first = Date.now()
    count++
    if (count === 1) {
      onFirst?.()
      controller.abort(
        new RlmError('E_INTERRUPTED', 'Interrupted by Ctrl-C; the partial answer and the trace were kept.'),
      )
    } else {
      process.exit(EXIT.interrupted)
    }
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return {
    signal: controller.signal,
    get interrupted() {
      return count > 0
    },
    dispose() {
      process.off('SIGINT', handler)
      process.off('SIGTERM', handler)
    },
  }
}
