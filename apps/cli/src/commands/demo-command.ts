// `rlm demo [--live]`: generates a ~1.5M-token sensor log with planted vault codes and runs an RLM
// over it, offline on the built-in scripted demo models (labelled as such) or, with --live, on the
// configured real model. Shows progress and the recursion tree, prints the answer, writes the
// trace and the HTML viewer.

import type { CliConfig } from '../config/config-schema.ts'
import { formatCount } from '../progress/figures.ts'
import { renderTree } from '../progress/tree-text.ts'
import { configFromFlags, outputModeOf } from '../run/command-options.ts'
import { engineSettings } from '../run/engine-settings.ts'
import { executeRun } from '../run/execute-run.ts'
import { createModels, planModels } from '../run/model-setup.ts'
import { prepareTrace } from '../run/trace-path.ts'
import { createStyle, type Style } from '../term-style.ts'
import { usageError } from '../usage-error.ts'
import { viewerPathFor, writeViewer } from '../viewer/write-viewer.ts'

export default async function demoCommand(opts: Record<string, unknown>): Promise<number> {
  const { config } = configFromFlags(opts)
  const { generateHaystack, DEMO_QUERY, DEFAULT_DEMO_TOKENS } = await import('../demo/haystack.ts')
  const tokens = opts.tokens === undefined ? DEFAULT_DEMO_TOKENS : Number(opts.tokens)
  if (!Number.isInteger(tokens) || tokens < 10_000 || tokens > 50_000_000) {
    throw usageError(
      `--tokens: expected a whole number from 10000 to 50000000 (got ${JSON.stringify(opts.tokens)}).`,
    )
  }
  const err = createStyle(process.stderr)
  const quiet = Boolean(opts.quiet)
  const say = (line: string): void => {
    if (!quiet) process.stderr.write(`${line}\n`)
  }

  const models = await demoModels(Boolean(opts.live), config, err, say)
  const haystack = generateHaystack(tokens)
  // The same context object the engine describes to the model, so both show one token estimate.
  const { loadContext } = await import('@rlm/context')
  const context = await loadContext({ text: haystack.text, name: 'sensor-log' })
  say(
    `context: a generated sensor log, ${haystack.lines.toLocaleString('en-US')} lines, ${haystack.text.length.toLocaleString('en-US')} characters (~${formatCount(context.estimateTokens())} tokens), ${haystack.facts.length} facts planted`,
  )
  say(`query: ${DEMO_QUERY}\n`)

  const settings = await engineSettings(config)
  const tracePath = await prepareTrace(opts, config, 'demo')
  const output = outputModeOf(opts)
  const viewer = tracePath !== false && opts.view !== false ? viewerPathFor(tracePath) : undefined
  const { result, exitCode, failure } = await executeRun({
    engine: {
      ...settings,
      model: models.model as never,
      ...(models.subModel !== models.model && { subModel: models.subModel as never }),
    },
    query: DEMO_QUERY,
    context,
    tracePath,
    output,
    quiet,
    verbose: Boolean(opts.verbose),
    ...(viewer && { jsonExtra: { viewer } }),
  })
  if (!quiet) {
    say(`\n${err.paint('bold', 'recursion tree')}\n${renderTree(result.tree, err)}`)
    const planted = haystack.facts
      .map((f) => `${f.vault} = ${f.code} (line ${f.line}, ${f.sensor})`)
      .join('; ')
    say(err.paint('dim', `planted: ${planted}`))
  }
  reportFiles(tracePath, viewer, say)
  if (failure) process.stderr.write(`${failure.line}\n`)
  return exitCode
}

/** The configured real model with --live, else the built-in scripted demo models, said plainly. */
async function demoModels(
  live: boolean,
  config: CliConfig,
  err: Style,
  say: (line: string) => void,
): Promise<{ model: unknown; subModel: unknown }> {
  if (live) {
    const models = await createModels(planModels(config))
    say(
      err.paint(
        'bold',
        `rlm demo --live: ${config.model}${config.subModel ? ` (sub-calls: ${config.subModel})` : ''}`,
      ),
    )
    return models
  }
  const { createDemoModels } = await import('../demo/demo-model.ts')
  const models = createDemoModels()
  say(err.paint('bold', 'rlm demo (offline): using the BUILT-IN SCRIPTED DEMO MODEL, not a real LLM.'))
  say(
    err.paint(
      'dim',
      'It writes real JavaScript that runs in the sandbox: search, chunking, a batched fan-out of sub-calls and a child RLM.',
    ),
  )
  say(err.paint('dim', 'Run `rlm demo --live --model <id>` to give the same task to a real model.'))
  return models
}

/** Writes the viewer beside the trace and says where both are. */
function reportFiles(
  tracePath: string | false,
  viewer: string | undefined,
  say: (line: string) => void,
): void {
  if (tracePath === false) {
    say('trace:  none (--no-trace), so no viewer')
    return
  }
  if (viewer) {
    writeViewer(tracePath, viewer)
    say(`viewer: ${viewer}`)
  }
  say(`trace:  ${tracePath}`)
}
