// `rlm submit <query> --context ... [--wait] [--json]`: queues one run for the workers; prints the
// job id, or with --wait follows it live and prints the answer with `rlm run`'s exit codes.

import { EXIT } from '@rlm/errors'
import { followAndReport } from '../queue/follow-job.ts'
import { contextRefOf, jobConfigOf } from '../queue/job-input.ts'
import { reachableRedis } from '../queue/redis-target.ts'
import { configFromFlags } from '../run/command-options.ts'
import { readQuery } from '../run/query-input.ts'
import { seedFlag } from '../run/seed-flag.ts'
import { usageError } from '../usage-error.ts'

/** Settings each worker decides for itself: refused here rather than silently dropped. */
const WORKER_FLAGS = [
  ['--cache / --no-cache', 'cache'],
  ['--cache-dir', 'cacheDir'],
  ['--request-timeout', 'requestTimeout'],
] as const

export default async function submitCommand(opts: Record<string, unknown>, args: string[]): Promise<number> {
  for (const [flag, key] of WORKER_FLAGS) {
    if (opts[key] !== undefined)
      throw usageError(
        `${flag} is not part of a job: the workers run the model calls, so it is their setting.`,
      )
  }
  const seed = seedFlag(opts)
  const query = await readQuery(args[0], opts.queryFile as string | undefined)
  const config = { ...jobConfigOf(configFromFlags(opts).config), ...(seed !== undefined && { seed }) }
  const context = await contextRefOf((opts.context as string[] | undefined) ?? [])
  const redis = await reachableRedis(opts)
  const { createRunQueue } = await import('@rlm/queue')
  const queue = createRunQueue({ redis, ...(typeof opts.queueName === 'string' && { name: opts.queueName }) })
  try {
    const { id } = await queue.submit({ query, context, config })
    if (!opts.wait) {
      process.stdout.write(opts.json ? `${JSON.stringify({ id })}\n` : `${id}\n`)
      return EXIT.ok
    }
    if (!opts.quiet)
      process.stderr.write(`rlm: job ${id} queued; waiting for a worker (Ctrl-C stops waiting)\n`)
    return await followAndReport(queue, id, opts)
  } finally {
    await queue.close()
  }
}
