// `rlm submit <query> --context ... [--wait] [--json]`: queues one run for the workers; prints the
// job id, or with --wait follows it live and prints the answer with `rlm run`'s exit codes.

import { EXIT, redactValue, secretRedactor } from '@rlm/errors'
import { followJob } from '../queue/follow-job.ts'
import { contextRefOf, jobConfigOf } from '../queue/job-input.ts'
import { exitCodeOfJob, jobFailure } from '../queue/job-report.ts'
import { reachableRedis } from '../queue/redis-target.ts'
import { configFromFlags } from '../run/command-options.ts'
import { readQuery } from '../run/query-input.ts'
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
  const query = await readQuery(args[0], opts.queryFile as string | undefined)
  const config = jobConfigOf(configFromFlags(opts).config)
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
        process.stdout.write(`${JSON.stringify({ id, state: 'waiting', exitCode: EXIT.interrupted })}\n`)
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
  } finally {
    await queue.close()
  }
}
