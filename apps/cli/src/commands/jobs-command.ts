// `rlm jobs [list|show ID|cancel ID|retry ID]`: the queue's jobs as a table or one in detail, and
// cancel (reaches the running worker, which cancels the whole run tree) or retry (a failed or
// cancelled job queued again, its journal kept). --json prints one JSON document.

import { EXIT, RlmError } from '@rlm/errors'
import { JOB_STATES, type JobState, type RunQueue } from '@rlm/queue'
import { followAndReport } from '../queue/follow-job.ts'
import { formatJob, formatJobList } from '../queue/job-report.ts'
import { reachableRedis } from '../queue/redis-target.ts'
import { usageError } from '../usage-error.ts'

const ACTIONS = ['list', 'show', 'cancel', 'retry'] as const
type JobsAction = (typeof ACTIONS)[number]

function parseStates(value: unknown): JobState[] | undefined {
  if (value === undefined) return undefined
  const states = String(value)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const bad = states.find((s) => !(JOB_STATES as readonly string[]).includes(s))
  if (bad || states.length === 0)
    throw usageError(
      `--state: expected states among ${JOB_STATES.join(', ')} (got ${JSON.stringify(value)}).`,
    )
  return states as JobState[]
}

function parseLimit(value: unknown): number {
  if (value === undefined) return 20
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1)
    throw usageError(`--limit: expected a whole number of 1 or more (got ${JSON.stringify(value)}).`)
  return n
}

/** Checks the action and its id before anything connects to Redis. */
function parseArgs(args: string[]): { action: JobsAction; id: string | undefined } {
  const action = (args[0] ?? 'list') as JobsAction
  if (!ACTIONS.includes(action))
    throw usageError(`rlm jobs: unknown action '${args[0]}'; use list, show <id>, cancel <id> or retry <id>.`)
  const id = args[1]
  if (action !== 'list' && !id)
    throw usageError(
      `rlm jobs ${action} needs a job id, e.g. rlm jobs ${action} <id> (ids are in rlm jobs list).`,
    )
  if (action === 'list' && id)
    throw usageError('rlm jobs list takes no id; use rlm jobs show <id> for one job.')
  return { action, id }
}

function notFound(id: string): RlmError {
  return new RlmError(
    'E_QUEUE_NOT_FOUND',
    `No job ${id} in this queue (never submitted, or removed by retention): see rlm jobs list.`,
  )
}

async function act(
  queue: RunQueue,
  action: JobsAction,
  id: string,
  opts: Record<string, unknown>,
): Promise<number> {
  const print = (doc: unknown, text: string): void => {
    process.stdout.write(opts.json ? `${JSON.stringify(doc)}\n` : `${text}\n`)
  }
  if (action === 'show') {
    const info = await queue.get(id)
    if (!info) throw notFound(id)
    if (opts.follow) return followAndReport(queue, id, opts)
    print(info, formatJob(info))
    return EXIT.ok
  }
  const before = await queue.get(id)
  if (!before) throw notFound(id)
  const done = action === 'cancel' ? await queue.cancel(id) : await queue.retry(id)
  if (!done) {
    const why =
      action === 'cancel'
        ? `job ${id} is ${before.state}: only a waiting, delayed or active job can be cancelled`
        : `job ${id} is ${before.state}: only a failed or cancelled job can be retried`
    throw new RlmError('E_USAGE', `Cannot ${action} ${why}.`)
  }
  print({ id, action, ok: true }, action === 'cancel' ? `cancelled ${id}` : `queued ${id} again`)
  return EXIT.ok
}

export default async function jobsCommand(opts: Record<string, unknown>, args: string[]): Promise<number> {
  const { action, id } = parseArgs(args)
  if (opts.follow && action !== 'show') throw usageError('--follow goes with rlm jobs show <id>.')
  const states = parseStates(opts.state)
  const limit = parseLimit(opts.limit)
  const redis = await reachableRedis(opts)
  const { createRunQueue } = await import('@rlm/queue')
  const queue = createRunQueue({ redis, ...(typeof opts.queueName === 'string' && { name: opts.queueName }) })
  try {
    if (action !== 'list') return await act(queue, action, id as string, opts)
    const jobs = await queue.list({ ...(states && { states }), limit })
    process.stdout.write(opts.json ? `${JSON.stringify({ jobs })}\n` : `${formatJobList(jobs)}\n`)
    return EXIT.ok
  } finally {
    await queue.close()
  }
}
