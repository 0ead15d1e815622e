// A BullMQ job as the queue's users see it: our states (a cancelled run is its own state), the
// error as { code, message }, the result validated, the last progress events.
import type { JobState as BullState, Job } from 'bullmq'
import {
  type JobError,
  type JobInfo,
  type JobState,
  jobResultSchema,
  type RunJobEvent,
} from './job-schema.ts'
import { QUEUE_ERROR_CODES } from './queue-errors.ts'

const CODED = /^(E_[A-Z0-9_]+): ([\s\S]*)$/

/** BullMQ keeps an error as one string; ours is `CODE: message`. */
export function formatFailedReason(error: JobError): string {
  return `${error.code}: ${error.message}`
}

export function parseFailedReason(reason: string | undefined): JobError | undefined {
  if (!reason) return undefined
  const m = CODED.exec(reason)
  if (m) return { code: m[1] as string, message: m[2] as string }
  // BullMQ's own words when a job's workers died more often than maxStalledCount allows
  if (/stalled more than/i.test(reason)) {
    return {
      code: QUEUE_ERROR_CODES.stalled,
      message: `The workers running this job died more often than maxStalledCount allows (BullMQ: ${reason}); retry() it once the workers are healthy.`,
    }
  }
  return { code: 'E_INTERNAL', message: reason }
}

export function stateOf(bull: BullState | 'unknown', error: JobError | undefined): JobState {
  switch (bull) {
    case 'completed':
    case 'active':
    case 'delayed':
      return bull
    case 'failed':
      return error?.code === 'E_ABORTED' ? 'cancelled' : 'failed'
    default:
      return 'waiting'
  }
}

/** BullMQ job types to ask for, for our states. */
export function bullTypesFor(
  states: readonly JobState[],
): ('wait' | 'prioritized' | 'delayed' | 'active' | 'completed' | 'failed')[] {
  const types = new Set<'wait' | 'prioritized' | 'delayed' | 'active' | 'completed' | 'failed'>()
  for (const s of states) {
    if (s === 'waiting') {
      types.add('wait')
      types.add('prioritized')
    } else if (s === 'cancelled') types.add('failed')
    else types.add(s)
  }
  return [...types]
}

export function toJobInfo(job: Job, bullState: BullState | 'unknown', progress: RunJobEvent[]): JobInfo {
  const error = job.failedReason ? parseFailedReason(job.failedReason) : undefined
  const state = stateOf(bullState, error)
  const result = state === 'completed' ? jobResultSchema.safeParse(job.returnvalue) : undefined
  const data = job.data as { query?: unknown } | undefined
  return {
    id: job.id as string,
    state,
    query: typeof data?.query === 'string' ? data.query : '',
    attempts: job.attemptsStarted ?? job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    createdAt: job.timestamp,
    ...(job.processedOn !== undefined && { startedAt: job.processedOn }),
    ...(job.finishedOn !== undefined && { finishedAt: job.finishedOn }),
    progress,
    ...(result?.success && { result: result.data }),
    ...(error && (state === 'failed' || state === 'cancelled' || state === 'delayed') && { error }),
  }
}
