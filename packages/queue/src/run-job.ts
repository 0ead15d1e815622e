// One job on a worker: validate what came from Redis, open the journal, build the run, follow
// cancellation, publish the run's events, and turn the outcome into a result or a coded failure.
import { createHash } from 'node:crypto'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { RlmEvent } from '@rlm/engine'
import { errorFields, formatIssues, isRlmError } from '@rlm/errors'
import type { RateLimiter } from '@rlm/providers'
import { type Job, UnrecoverableError } from 'bullmq'
import type { Redis } from 'ioredis'
import { resolveContextRef } from './context-ref.ts'
import { createEventPublisher } from './job-events.ts'
import { formatFailedReason } from './job-info.ts'
import { defaultRunner, type JobModelWrappers, type RunnerContext, wrapJobModel } from './job-runner.ts'
import { type JobResult, type RunJobInput, runJobInputSchema } from './job-schema.ts'
import { isFinalCode, QUEUE_ERROR_CODES } from './queue-errors.ts'
import type { QueueKeys } from './queue-keys.ts'
import type { RedisSemaphore } from './redis-semaphore.ts'
import { openJournal, type ResponseJournal } from './response-journal.ts'
import type { ResolvedWorkerOptions } from './worker-options.ts'

export interface JobEnv {
  options: ResolvedWorkerOptions
  redis: Redis
  keys: QueueKeys
  workerId: string
  limiterFor(provider: string): RateLimiter | undefined
  subCalls: RedisSemaphore | undefined
}

/** A failure BullMQ stores as `CODE: message`; final codes skip the remaining attempts. */
export function jobFailure(error: { code: string; message: string }): Error {
  const text = formatFailedReason(error)
  return isFinalCode(error.code) ? new UnrecoverableError(text) : new Error(text)
}

function readJob(job: Job, env: JobEnv): RunJobInput {
  const parsed = runJobInputSchema.safeParse(job.data)
  if (!parsed.success) {
    throw jobFailure({
      code: QUEUE_ERROR_CODES.badJob,
      message: `Job ${job.id} is not a valid run job: ${formatIssues(parsed.error.issues, { root: 'job', prefix: 'job' })}.`,
    })
  }
  const ctx = parsed.data.context
  if (ctx.kind === 'inline' && Buffer.byteLength(ctx.text) > env.options.maxInlineBytes) {
    throw jobFailure({
      code: QUEUE_ERROR_CODES.contextTooLarge,
      message: `Job ${job.id}'s inline context is over this worker's maxInlineBytes (${env.options.maxInlineBytes}).`,
    })
  }
  return parsed.data
}

export async function runJob(job: Job, env: JobEnv, signal: AbortSignal): Promise<JobResult> {
  const id = job.id as string
  const input = readJob(job, env)
  const attempt = job.attemptsStarted ?? job.attemptsMade + 1
  // Both reads leave in one write (auto-pipelining): one round trip before the run starts.
  const journal = openJournal(env.redis, env.keys.journal(id), env.options.journalTtlSeconds)
  journal.catch(() => {}) // awaited (and its error reported) in runInput
  if (await env.redis.sismember(env.keys.cancelled, id)) {
    throw jobFailure({ code: 'E_ABORTED', message: 'The job was cancelled.' })
  }
  const events = createEventPublisher(env.redis, env.keys.events(id), env.options.journalTtlSeconds)
  events.publish({ type: 'job', state: 'active', at: Date.now(), attempt, worker: env.workerId })
  try {
    return await runInput(job, input, env, await journal, signal, (event) =>
      events.publish({ type: 'run', at: Date.now(), attempt, event }),
    )
  } catch (err) {
    throw asJobFailure(err, signal)
  } finally {
    // The run's events are in the stream before BullMQ settles the job and `completed` is published.
    await events.flush()
  }
}

async function runInput(
  job: Job,
  input: RunJobInput,
  env: JobEnv,
  journal: ResponseJournal,
  signal: AbortSignal,
  onEvent: (event: RlmEvent) => void,
): Promise<JobResult> {
  const id = job.id as string
  const wrappers: JobModelWrappers = { limiterFor: env.limiterFor, subCalls: env.subCalls, journal }
  const context: RunnerContext = {
    jobId: id,
    attempt: job.attemptsStarted,
    config: input.config,
    wrapModel: (model, role) => wrapJobModel(model, role, wrappers),
  }
  const rlm = await (env.options.createRunner
    ? env.options.createRunner(context)
    : defaultRunner(context, wrappers))
  const ctx = await resolveContextRef(input.context, env.options, signal)
  const tracePath = env.options.traceDir ? await freshTrace(env.options.traceDir, id) : undefined
  const result = await rlm.run({
    query: input.query,
    context: ctx,
    signal,
    // Every attempt's guests see the same random numbers and clock: a replay asks the same prompts.
    seed: input.config.seed ?? seedOf(id),
    clockStartMs: job.timestamp,
    trace: tracePath ?? false,
    onEvent,
  })
  if (signal.aborted) throw signal.reason
  if (result.status === 'error') {
    throw jobFailure(result.error ?? { code: 'E_INTERNAL', message: 'The run failed.' })
  }
  return {
    answer: result.answer,
    status: result.status,
    usage: { ...result.usage },
    ...(tracePath && { tracePath }),
    replayedCalls: journal.replayed,
  }
}

/** Any failure as BullMQ should store it: already coded, the cancel reason, or normalised. */
function asJobFailure(err: unknown, signal: AbortSignal): Error {
  if (err instanceof Error && (err.name === 'UnrecoverableError' || /^E_[A-Z0-9_]+: /.test(err.message))) {
    return err
  }
  if (signal.aborted && isRlmError(signal.reason)) return jobFailure(errorFields(signal.reason))
  return jobFailure(errorFields(err))
}

/** A job's default seed: the first 48 bits of the sha256 of its id. */
export function seedOf(jobId: string): number {
  return createHash('sha256').update(jobId).digest().readUIntBE(0, 6)
}

/** A retried or replayed job starts its trace again: the journal, not the trace, is what replays. */
async function freshTrace(dir: string, id: string): Promise<string> {
  await mkdir(dir, { recursive: true })
  const path = join(dir, `${id}.jsonl`)
  await rm(path, { force: true })
  return path
}
