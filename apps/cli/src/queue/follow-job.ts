// `rlm submit --wait`: follows a job's event stream live (the run's progress on stderr, as
// `rlm run` shows it; the job's own changes of state as plain lines) until the job finishes.
// Ctrl-C stops following, not the job.

import type { RlmEvent } from '@rlm/engine'
import type { JobInfo, RunJobEvent, RunQueue } from '@rlm/queue'
import { createProgressView, type ProgressView } from '../progress/progress-view.ts'
import { installInterrupt } from '../run/interrupt.ts'

export interface FollowOptions {
  quiet: boolean
  verbose: boolean
  /** Every event as it arrives (the NDJSON stream of --events). */
  onEvent?: (event: RunJobEvent) => void
}

export interface Followed {
  /** The finished job, or undefined when Ctrl-C stopped the wait first. */
  info: JobInfo | undefined
  interrupted: boolean
}

export async function followJob(queue: RunQueue, id: string, o: FollowOptions): Promise<Followed> {
  let progress: ProgressView | undefined
  let attempt = 0
  const interrupt = installInterrupt(() => {
    progress?.stop()
    process.stderr.write(
      `rlm: stopped waiting; job ${id} goes on (rlm jobs show ${id}, rlm jobs cancel ${id})\n`,
    )
  })
  const onEvent = (e: RunJobEvent): void => {
    o.onEvent?.(e)
    if (o.quiet) return
    // A new attempt (a worker crashed or a retry) replays the run: its progress starts over.
    if (e.attempt !== attempt && e.attempt > 0) {
      progress?.stop()
      progress = createProgressView({ verbose: o.verbose })
      attempt = e.attempt
    }
    if (e.type === 'job') {
      progress?.stop()
      const by = e.worker ? ` on ${e.worker}` : ''
      const why = e.error ? `: ${e.error.code} ${e.error.message}` : ''
      process.stderr.write(`rlm: job ${id} ${e.state}${by} (attempt ${e.attempt})${why}\n`)
    } else progress?.onEvent(e.event as unknown as RlmEvent)
  }
  try {
    const info = await queue.wait(id, { signal: interrupt.signal, onEvent })
    return { info, interrupted: false }
  } catch (error) {
    if (interrupt.interrupted) return { info: undefined, interrupted: true }
    throw error
  } finally {
    progress?.stop()
    interrupt.dispose()
  }
}
