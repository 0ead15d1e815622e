// `rlm worker [--concurrency N]`: takes queued runs until SIGTERM or Ctrl-C. The first signal stops
// taking jobs and lets the current ones finish; a second exits at once, and the queue's stalled
// check hands the unfinished jobs to another worker, which replays them from their journal.

import { EXIT } from '@rlm/errors'
import { offlineRunner } from '../queue/offline-runner.ts'
import { assertRedisReachable, redisUrlOf } from '../queue/redis-target.ts'
import { workerOptionsOf } from '../queue/worker-flags.ts'

export default async function workerCommand(opts: Record<string, unknown>): Promise<number> {
  const options = workerOptionsOf(opts, redisUrlOf(opts))
  await assertRedisReachable(options.redis)
  const { createRunWorker } = await import('@rlm/queue')
  const worker = createRunWorker({
    ...options,
    ...(opts.offline === true && { createRunner: offlineRunner }),
  })
  const say = (line: string): void => {
    if (!opts.quiet) process.stderr.write(`rlm: ${line}\n`)
  }
  say(`worker ${worker.id} taking jobs (concurrency ${options.concurrency ?? 1}); SIGTERM or Ctrl-C stops it`)
  let signals = 0
  let first = 0
  const closed = new Promise<number>((resolve, reject) => {
    const stop = (): void => {
      // One Ctrl-C can arrive twice (the terminal's process group and the launcher's forward).
      if (signals === 1 && Date.now() - first < 500) return
      if (signals === 0) first = Date.now()
      signals++
      if (signals === 1) {
        say('stopping: no new jobs; the current ones finish (signal again to exit at once)')
        worker.close({ graceful: true }).then(() => resolve(EXIT.ok), reject)
      } else if (signals === 2) {
        say('exiting now: the unfinished jobs go to another worker once their lock lapses')
        process.exit(EXIT.interrupted)
      }
    }
    process.on('SIGTERM', stop)
    process.on('SIGINT', stop)
  })
  const code = await closed
  say('worker stopped')
  return code
}
