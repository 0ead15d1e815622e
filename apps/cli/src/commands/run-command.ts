// `rlm run <query> [--context ...]`: one query through the engine with the configured models.

import { resolve } from 'node:path'
import { configFromFlags, outputModeOf } from '../run/command-options.ts'
import { loadContextInputs } from '../run/context-input.ts'
import { engineSettings } from '../run/engine-settings.ts'
import { executeRun } from '../run/execute-run.ts'
import { createModels, planModels } from '../run/model-setup.ts'
import { defaultTracePath } from '../run/trace-path.ts'
import { usageError } from '../usage-error.ts'

export default async function runCommand(opts: Record<string, unknown>, args: string[]): Promise<number> {
  const query = (args[0] ?? '').trim()
  if (!query)
    throw usageError(
      'The query is empty: pass the question as the first argument, e.g. rlm run "What changed?" --context notes.txt.',
    )
  const { config } = configFromFlags(opts)
  const plan = planModels(config)
  // Everything that can fail on bad input happens before the trace file is created.
  const [{ context, warnings }, models] = await Promise.all([
    loadContextInputs((opts.context as string[] | undefined) ?? [], plan.root.id),
    createModels(plan),
  ])
  if (!opts.quiet) for (const w of warnings) process.stderr.write(`rlm: warning ${w}\n`)
  const tracePath = opts.trace ? resolve(opts.trace as string) : defaultTracePath(config.traceDir)
  const { exitCode } = await executeRun({
    engine: {
      ...engineSettings(config),
      model: models.model,
      ...(models.subModel !== models.model && { subModel: models.subModel }),
    },
    query,
    context,
    tracePath,
    output: outputModeOf(opts),
    quiet: Boolean(opts.quiet),
    verbose: Boolean(opts.verbose),
  })
  return exitCode
}
