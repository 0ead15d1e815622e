// `rlm run <query> [--context ...]`: one query through the engine with the configured models.

import { parseDuration } from '../duration.ts'
import { configFromFlags, outputModeOf } from '../run/command-options.ts'
import { type ContextRequest, loadContextInputs } from '../run/context-input.ts'
import { engineSettings } from '../run/engine-settings.ts'
import { executeRun } from '../run/execute-run.ts'
import { createModels, planModels } from '../run/model-setup.ts'
import { readQuery } from '../run/query-input.ts'
import { seedFlag } from '../run/seed-flag.ts'
import { prepareTrace } from '../run/trace-path.ts'
import { usageError } from '../usage-error.ts'

function loadOptions(opts: Record<string, unknown>): ContextRequest['load'] {
  const load: ContextRequest['load'] = {
    ignore: (opts.ignore as string[] | undefined) ?? [],
    defaultIgnores: opts.defaultIgnores !== false,
    followSymlinks: Boolean(opts.followSymlinks),
  }
  if (opts.firstByteTimeout !== undefined) {
    const ms = parseDuration(String(opts.firstByteTimeout))
    if (ms === undefined)
      throw usageError(
        `--first-byte-timeout: expected a duration such as 5s or 500ms (got ${JSON.stringify(opts.firstByteTimeout)}).`,
      )
    load.firstByteTimeoutMs = ms
  }
  return load
}

export default async function runCommand(opts: Record<string, unknown>, args: string[]): Promise<number> {
  const seed = seedFlag(opts)
  const queryFile = opts.queryFile as string | undefined
  const query = await readQuery(args[0], queryFile)
  const { config } = configFromFlags(opts)
  const plan = planModels(config)
  // Everything that can fail on bad input happens before the trace file is created.
  const [loaded, models] = await Promise.all([
    loadContextInputs({
      inputs: (opts.context as string[] | undefined) ?? [],
      model: plan.root.id,
      load: loadOptions(opts),
      stdinIsQuery: queryFile === '-',
    }),
    createModels(plan),
  ])
  if (!opts.quiet) {
    if (loaded.implicitStdin)
      process.stderr.write(
        `rlm: reading the context from stdin (${loaded.implicitStdin}; no --context given)\n`,
      )
    for (const w of loaded.warnings) process.stderr.write(`rlm: warning ${w}\n`)
  }
  const settings = await engineSettings(config)
  const tracePath = await prepareTrace(opts, config, 'run')
  const { exitCode, failure } = await executeRun({
    engine: {
      ...settings,
      model: models.model,
      ...(models.subModel !== models.model && { subModel: models.subModel }),
    },
    query,
    context: loaded.context,
    tracePath,
    output: outputModeOf(opts),
    quiet: Boolean(opts.quiet),
    verbose: Boolean(opts.verbose),
    seed,
  })
  if (failure) process.stderr.write(`${failure.line}\n`)
  return exitCode
}
