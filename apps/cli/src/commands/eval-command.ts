// `rlm eval --suite <names> --sizes 8k,128k ...`: runs @rlm/evals' harness with the CLI's models
// and settings; the table (or --json report) on stdout, progress on stderr. With --queue, the RLM
// tasks run as jobs on the queue's workers, --parallel at a time.

import { resolve } from 'node:path'
import { EXIT } from '@rlm/errors'
import type { RlmTaskRunner } from '@rlm/evals'
import type { RunQueue } from '@rlm/queue'
import type { CliConfig } from '../config/config-schema.ts'
import { queueTaskRunner } from '../queue/eval-over-queue.ts'
import { jobConfigOf, jobSettingsOf } from '../queue/job-input.ts'
import { OFFLINE_MODEL, OFFLINE_SUB_MODEL } from '../queue/offline-runner.ts'
import { reachableRedis } from '../queue/redis-target.ts'
import { configFromFlags } from '../run/command-options.ts'
import { engineSettings } from '../run/engine-settings.ts'
import { installInterrupt } from '../run/interrupt.ts'
import { createModels, planModels } from '../run/model-setup.ts'
import { usageError } from '../usage-error.ts'
import { writeFileAtomic } from '../write-file-atomic.ts'

const wholeNumber = (flag: string, value: unknown): number => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0)
    throw usageError(`${flag}: expected a whole number (got ${JSON.stringify(value)}).`)
  return n
}

/** With --queue: the queue, the runner that submits each task, and how many tasks at once. */
async function queueMode(
  opts: Record<string, unknown>,
  config: CliConfig,
  offline: boolean,
): Promise<{ queue: RunQueue; options: { runRlm: RlmTaskRunner; parallel: number } } | undefined> {
  if (!opts.queue) {
    if (opts.parallel !== undefined) throw usageError('--parallel spreads tasks over the queue: add --queue.')
    return undefined
  }
  const parallel = opts.parallel === undefined ? 32 : wholeNumber('--parallel', opts.parallel)
  if (parallel < 1) throw usageError('--parallel: expected a whole number of 1 or more.')
  const jobConfig = offline
    ? { model: OFFLINE_MODEL, subModel: OFFLINE_SUB_MODEL, ...jobSettingsOf(config) }
    : jobConfigOf(config)
  const redis = await reachableRedis(opts)
  const { createRunQueue } = await import('@rlm/queue')
  const queue = createRunQueue({ redis, ...(typeof opts.queueName === 'string' && { name: opts.queueName }) })
  return { queue, options: { runRlm: queueTaskRunner(queue, jobConfig), parallel } }
}

export default async function evalCommand(opts: Record<string, unknown>): Promise<number> {
  const evals = await import('@rlm/evals')
  const { config } = configFromFlags(opts)
  const offline = Boolean(opts.offline)
  const suiteText = String(opts.suite)
  const suites = evals.parseSuites(suiteText)
  const sizes = evals.parseSizes(String(opts.sizes))
  const baseline = String(opts.baseline)
  if (baseline !== 'direct' && baseline !== 'none')
    throw usageError(`--baseline: expected direct or none (got ${JSON.stringify(baseline)}).`)
  const models = offline ? undefined : await createModels(planModels(config))
  const queued = await queueMode(opts, config, offline)
  const { model: _m, ...engine } = { model: undefined, ...(await engineSettings(config)) }
  const interrupt = installInterrupt(() => process.stderr.write('rlm: interrupting the eval…\n'))
  let done = 0
  try {
    const report = await evals.runEval(
      {
        suites,
        sizes,
        tasks: wholeNumber('--tasks', opts.tasks),
        seed: wholeNumber('--seed', opts.seed),
        offline,
        baseline,
        engine,
        signal: interrupt.signal,
        ...(models && {
          model: models.model,
          ...(models.subModel !== models.model && { subModel: models.subModel }),
        }),
        ...(opts.results !== undefined && { resultsFile: resolve(String(opts.results)) }),
        ...queued?.options,
      },
      {
        onEvent: (e) => {
          if (e.type === 'task_end' && !opts.quiet) {
            done++
            const r = e.result
            process.stderr.write(
              `[${done}/${e.planned}] ${r.taskId} ${r.method} ${r.score === 1 ? 'correct' : `wrong (${r.status})`}\n`,
            )
          } else if (e.type === 'warning') process.stderr.write(`rlm: warning: ${e.message}\n`)
        },
      },
    )
    if (opts.html) {
      const html = resolve(String(opts.html))
      writeFileAtomic(html, evals.renderHtmlReport(report))
      if (!opts.quiet) process.stderr.write(`html report: ${html}\n`)
    }
    if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`)
    else process.stdout.write(`${evals.formatTable(report)}\n`)
    return interrupt.interrupted ? EXIT.interrupted : EXIT.ok
  } finally {
    interrupt.dispose()
    await queued?.queue.close()
  }
}
