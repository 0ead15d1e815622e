// `rlm serve`: @rlm/server on Node's http module, with the models, keys and limits resolved as
// `rlm run` resolves them (flags > RLM_* > config files); each run limit is a cap on every run.
// SIGTERM or Ctrl-C drains: no new runs, running ones get the grace period, then are cancelled;
// a second signal cancels at once. The listening URL is printed on stdout for scripts.

import { join, resolve } from 'node:path'
import { EXIT } from '@rlm/errors'
import { z } from 'zod'
import type { CliConfig } from '../config/config-schema.ts'
import { parseDuration } from '../duration.ts'
import { configFromFlags } from '../run/command-options.ts'
import { engineSettings } from '../run/engine-settings.ts'
import { createModels, type ModelPlan, planModel, planModels } from '../run/model-setup.ts'
import { usageError } from '../usage-error.ts'

const whole = (flag: string, min: number, max: number) =>
  z
    .string()
    .refine((v) => /^\d+$/.test(v.trim()) && Number(v) >= min && Number(v) <= max, {
      message: `${flag}: expected a whole number from ${min} to ${max}`,
    })
    .transform(Number)
    .optional()

const serveFlags = z.object({
  host: z.string().min(1, '--host: expected a host name or address').optional(),
  port: whole('--port', 0, 65_535),
  maxConcurrentRuns: whole('--max-concurrent-runs', 1, 10_000),
  maxQueue: whole('--max-queue', 0, 1_000_000),
  maxBodyBytes: whole('--max-body-bytes', 1024, 2 ** 31),
  shutdownGrace: z
    .string()
    .refine((v) => parseDuration(v) !== undefined, '--shutdown-grace: expected a duration such as 30s or 2m')
    .transform((v) => parseDuration(v) as number)
    .optional(),
  token: z.string().optional(),
})

/** A model's public id: as given, without an inline `@<url>` (clients never see server addresses). */
const publicId = (id: string): string => id.replace(/@https?:\/\/.*$/, '')

function parseServeFlags(opts: Record<string, unknown>): z.output<typeof serveFlags> {
  const parsed = serveFlags.safeParse(opts)
  if (parsed.success) return parsed.data
  throw usageError(`Invalid flag. ${parsed.error.issues.map((i) => i.message).join('; ')}.`)
}

/** The root models by public id (the first is "rlm") and the sub-model, created as `rlm run` creates them. */
async function serveModels(ids: string[], config: CliConfig) {
  const plan = planModels({ ...config, model: ids[0] })
  const plans: ModelPlan[] = [
    plan.root,
    ...ids.slice(1).map((id) => planModel(id, plan.root.provider, config)),
  ]
  const models: Record<string, Awaited<ReturnType<typeof createModels>>['model']> = {}
  for (const [i, p] of plans.entries()) {
    const id = publicId(ids[i] as string)
    if (id in models) throw usageError(`--model ${id} is given twice; each root model once.`)
    models[id] = (await createModels({ root: p, sub: p })).model
  }
  const sub = config.subModel ? (await createModels({ root: plan.sub, sub: plan.sub })).model : undefined
  return { models, sub }
}

export default async function serveCommand(opts: Record<string, unknown>): Promise<number> {
  const flags = parseServeFlags(opts)
  const given = (opts.model as string[] | undefined) ?? []
  const { config } = configFromFlags({ ...opts, model: given[0] })
  const ids = given.length > 0 ? given : config.model ? [config.model] : []
  const { models, sub } = await serveModels(ids, config)
  const engine = await engineSettings(config)
  const logger = engine.logger
  const token = flags.token ?? (process.env.RLM_SERVER_TOKEN || undefined)
  const { createServer } = await import('@rlm/server')
  const server = createServer({
    models,
    ...(sub && { subModel: sub }),
    caps: {
      maxDepth: config.maxDepth,
      maxIterations: config.maxIterations,
      concurrency: config.concurrency,
      ...(engine.budget?.maxTokens !== undefined && { maxTokens: engine.budget.maxTokens }),
      ...(engine.budget?.maxCostUsd !== undefined && { maxCostUsd: engine.budget.maxCostUsd }),
      ...(engine.budget?.maxWallTimeMs !== undefined && { maxWallTimeMs: engine.budget.maxWallTimeMs }),
    },
    engine: {
      cache: engine.cache ?? false,
      traceRetentionDays: config.traceRetentionDays,
      ...(engine.logLevel !== undefined && { logLevel: engine.logLevel }),
      ...(logger && { logger }),
    },
    // With --log-level / --log-file, the server's own error lines join the runs' log.
    ...(logger && { log: (line: string) => logger.error(line) }),
    contextRoots: (opts.contextRoot as string[] | undefined) ?? [],
    ...(token !== undefined && { token }),
    ...(flags.maxConcurrentRuns !== undefined && { maxConcurrentRuns: flags.maxConcurrentRuns }),
    ...(flags.maxQueue !== undefined && { maxQueue: flags.maxQueue }),
    ...(flags.maxBodyBytes !== undefined && { maxBodyBytes: flags.maxBodyBytes }),
    traceDir: opts.trace === false ? false : join(resolve(config.traceDir), 'traces'),
  })
  const listening = await server.listen({
    ...(flags.host !== undefined && { host: flags.host }),
    ...(flags.port !== undefined && { port: flags.port }),
  })
  const names = ['rlm', ...Object.keys(models).map((id) => `rlm:${id}`)]
  process.stderr.write(
    `rlm serve: listening on ${listening.url} (models: ${names.join(', ')}; ${token === undefined ? 'no token: loopback clients only' : 'token required'})\n`,
  )
  process.stdout.write(`${listening.url}\n`)
  await stopSignal(() => {
    process.stderr.write('rlm serve: second signal, cancelling the runs in progress\n')
    void server.shutdown(0)
  })
  const running = server.runs.running + server.runs.queued
  const grace = flags.shutdownGrace ?? 30_000
  const waiting = running === 1 ? '1 run is' : `${running} runs are`
  process.stderr.write(
    `rlm serve: shutting down${running ? ` (${waiting} still going: waiting up to ${grace / 1000} s, then cancelling)` : ''}\n`,
  )
  await listening.close(grace)
  process.stderr.write('rlm serve: stopped\n')
  return EXIT.ok
}

/** Resolves at the first SIGTERM or SIGINT; later ones call `again`. */
function stopSignal(again: () => void): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false
    const onSignal = (): void => {
      if (stopping) {
        again()
        return
      }
      stopping = true
      resolve()
    }
    process.on('SIGTERM', onSignal)
    process.on('SIGINT', onSignal)
  })
}
