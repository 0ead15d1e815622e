// `rlm submit --wait`: follows a job's event stream live (the run's progress on stderr, as
// `rlm run` shows it; the job's own changes of state as plain lines) until the job finishes.
// Ctrl-C stops following, not the job.

import { EXIT, redactValue, secretRedactor } from '@rlm/errors'
import type { JobInfo, RunJobEvent, RunQueue } from '@rlm/queue'
import { createProgressView, type ProgressView } from '../progress/progress-view.ts'
import { installInterrupt } from '../run/interrupt.ts'
import { exitCodeOfJob, jobFailure } from './job-report.ts'

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
    } else progress?.onEvent(e.event)
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

/**
 * Follows the job (`rlm submit --wait`, `rlm jobs show --follow`) and reports how it ended: the
 * answer (or with --json the job, with --events the NDJSON stream) on stdout, the trace and the
 * error line on stderr. Resolves to the exit code `rlm run` would give the same outcome.
 */
export async function followAndReport(
  queue: RunQueue,
  id: string,
  opts: Record<string, unknown>,
): Promise<number> {
  const redact = secretRedactor()
  const followed = await followJob(queue, id, {
    quiet: Boolean(opts.quiet),
    verbose: Boolean(opts.verbose),
    ...(opts.events === true && {
      onEvent: (e) => process.stdout.write(`${JSON.stringify(redactValue(e, redact))}\n`),
    }),
  })
  if (!followed.info) {
    if (opts.json)
      process.stdout.write(`${JSON.stringify({ id, stoppedWaiting: true, exitCode: EXIT.interrupted })}\n`)
    return EXIT.interrupted
  }
  const info = redactValue(followed.info, redact)
  const exitCode = exitCodeOfJob(info)
  if (opts.json) process.stdout.write(`${JSON.stringify({ ...info, exitCode })}\n`)
  else if (!opts.events && info.result && info.result.answer !== '')
    process.stdout.write(info.result.answer.endsWith('\n') ? info.result.answer : `${info.result.answer}\n`)
  if (!opts.quiet && info.result?.tracePath) process.stderr.write(`trace: ${info.result.tracePath}\n`)
  const failure = jobFailure(info)
  if (failure) process.stderr.write(`${failure.line}\n`)
  return exitCode
}
