// Runs the rlm command line: loads .env (under the trust rule), parses argv, runs one command, and turns every failure
// into one line on stderr with its code and the exit code. Never throws.

import { EXIT } from '@rlm/errors'
import type { CommanderError } from 'commander'
import { openCliLogger, openedCliLogger } from './cli-logger.ts'
import { loadDotEnv } from './config/dotenv-file.ts'
import { argvTrustsConfig, refusalWarning } from './config/project-trust.ts'
import { describeError, printFailure, reportFor } from './error-report.ts'
import { type Action, buildProgram } from './program.ts'

const COMMANDS: Record<string, () => Promise<{ default: Action }>> = {
  run: () => import('./commands/run-command.ts'),
  demo: () => import('./commands/demo-command.ts'),
  view: () => import('./commands/view-command.ts'),
  doctor: () => import('./commands/doctor-command.ts'),
  config: () => import('./commands/config-command.ts'),
  eval: () => import('./commands/eval-command.ts'),
  serve: () => import('./commands/serve-command.ts'),
  mcp: () => import('./commands/mcp-command.ts'),
  submit: () => import('./commands/submit-command.ts'),
  worker: () => import('./commands/worker-command.ts'),
  jobs: () => import('./commands/jobs-command.ts'),
}

function loadProjectEnv(argv: readonly string[]): void {
  const r = loadDotEnv(process.cwd(), { trust: argvTrustsConfig(argv) })
  if (r.problem) process.stderr.write(`rlm: warning: could not read ${r.file}: ${r.problem}\n`)
  for (const refused of r.refused) process.stderr.write(`${refusalWarning(refused)}\n`)
}

/** `--json` anywhere before `--`: failures are then also printed as JSON, even usage errors. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--')
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json')
}

/**
 * A bug's stack goes to the command's logger (redacted there), or with RLM_DEBUG=1 and no logger
 * to stderr; the error line printed next says what the user can do.
 */
async function logInternalError(err: unknown): Promise<void> {
  const logger =
    openedCliLogger() ?? (process.env.RLM_DEBUG ? openCliLogger({ logLevel: 'debug' }) : undefined)
  try {
    ;(await logger)?.error({ err }, 'internal error (a bug in rlm)')
  } catch {
    // the logger itself failed to open: the error line still reports the failure
  }
}

/** Runs `rlm <argv>` and resolves to the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  loadProjectEnv(argv)
  const json = wantsJson(argv)
  // `rlm help <name>` for a command that does not exist: commander would print the whole help,
  // then fail with "(outputHelp)".
  if (argv[0] === 'help' && argv[1] !== undefined && !(argv[1] in COMMANDS)) {
    printFailure(
      reportFor(
        'E_USAGE',
        `There is no command '${argv[1]}'; the commands are ${Object.keys(COMMANDS).join(', ')}: see \`rlm --help\``,
      ),
      json,
    )
    return EXIT.usage
  }
  const program = buildProgram(async (name) => {
    const load = COMMANDS[name]
    if (!load) throw new Error(`no such command ${name}`)
    return (await load()).default
  })
  for (const cmd of [program, ...program.commands]) {
    cmd.exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: () => {} })
  }
  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (err) {
    const c = err as CommanderError
    if (typeof c?.code === 'string' && c.code.startsWith('commander.')) {
      if (c.exitCode === 0) return EXIT.ok
      const message = c.message.replace(/^error:\s*/, '')
      printFailure(reportFor('E_USAGE', `${message}; see \`rlm --help\``), json)
      return EXIT.usage
    }
    const report = describeError(err)
    if (report.exitCode === EXIT.internal) await logInternalError(err)
    printFailure(report, json)
    return report.exitCode
  }
  const ran = program.commands.find((c) => c.getOptionValue('__exitCode') !== undefined)
  if (!ran) {
    program.outputHelp({ error: true })
    printFailure(
      reportFor('E_USAGE', 'No command given: pick one of the commands above, e.g. `rlm demo`'),
      json,
    )
    return EXIT.usage
  }
  return ran.getOptionValue('__exitCode') as number
}
