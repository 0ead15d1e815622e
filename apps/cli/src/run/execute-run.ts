// Runs one query through the engine for `rlm run` and `rlm demo`: progress on stderr, the answer,
// JSON document or event stream on stdout, the trace on disk, Ctrl-C handled; returns the exit code.

import type { ContextInput, RlmConfigInput, RlmEvent, RlmResult } from '@rlm/engine'
import { EXIT, type ExitCode, exitCodeFor, redactValue, secretRedactor } from '@rlm/errors'
import type { ErrorReport } from '../error-report.ts'
import { createProgressView, type ProgressView } from '../progress/progress-view.ts'
import { installInterrupt } from './interrupt.ts'
import { collectFacts, failureOf, type RunFacts, summaryLine } from './run-report.ts'

export type OutputMode = 'text' | 'json' | 'events'

export interface ExecuteRunOptions {
  engine: RlmConfigInput
  query: string
  context?: ContextInput | undefined
  /** The trace file, or false for none (--no-trace). */
  tracePath: string | false
  output: OutputMode
  quiet: boolean
  verbose: boolean
  /** Extra listener (the demo's tree view). */
  onEvent?: (event: RlmEvent) => void
  /** More fields for the --json document (the demo's viewer path). */
  jsonExtra?: Record<string, unknown>
  /** The run's seed (--seed): a seeded REPL Math.random and clock. */
  seed?: number | undefined
}

export interface ExecutedRun {
  result: RlmResult
  exitCode: ExitCode
  interrupted: boolean
  /** The error line for a run that did not answer: the caller prints it last on stderr. */
  failure: ErrorReport | undefined
}

export function exitCodeOf(result: RlmResult, interrupted: boolean): ExitCode {
  if (interrupted) return EXIT.interrupted
  if (result.status === 'final') return EXIT.ok
  if (result.status === 'budget_exhausted') return EXIT.budget
  return exitCodeFor(result.error?.code ?? 'E_INTERNAL')
}

export async function executeRun(o: ExecuteRunOptions): Promise<ExecutedRun> {
  const { createRlm } = await import('@rlm/engine')
  // Logs only when asked for (--log-level, --log-file): the error line already reports a failure.
  const rlm = createRlm({ logLevel: 'silent', ...o.engine })
  const progress: ProgressView | undefined = o.quiet ? undefined : createProgressView({ verbose: o.verbose })
  const interrupt = installInterrupt(() => {
    progress?.stop()
    process.stderr.write('rlm: interrupting: aborting in-flight calls (Ctrl-C again to quit at once)\n')
  })
  const gathered = collectFacts()
  // Everything written to stdout passes the one redaction point (events come redacted from the
  // engine; this also covers what a listener or a later change might add).
  const redact = secretRedactor()
  const onEvent = (event: RlmEvent): void => {
    if (o.output === 'events') process.stdout.write(`${JSON.stringify(redactValue(event, redact))}\n`)
    gathered.onEvent(event)
    progress?.onEvent(event)
    o.onEvent?.(event)
  }
  let result: RlmResult
  try {
    result = await rlm.run({
      query: o.query,
      ...(o.context !== undefined && { context: o.context }),
      signal: interrupt.signal,
      onEvent,
      trace: o.tracePath,
      ...(o.seed !== undefined && { seed: o.seed }),
    })
  } finally {
    progress?.stop()
    interrupt.dispose()
  }
  const exitCode = exitCodeOf(result, interrupt.interrupted)
  // Only what is printed: the whole document with --json, else the answer.
  const shown =
    o.output === 'json' ? redactValue(result, redact) : { ...result, answer: redact(result.answer) }
  writeResult(shown, exitCode, o, gathered.facts)
  return {
    result,
    exitCode,
    interrupted: interrupt.interrupted,
    failure: failureOf(result, exitCode, gathered.facts),
  }
}

/**
 * An answer, or a partial one (budget, Ctrl-C), goes to stdout; a failed run's "No answer: ..."
 * does not — stdout is data, and the error line on stderr says what happened.
 */
function printsAnswer(result: RlmResult, exitCode: ExitCode): boolean {
  return result.status !== 'error' || exitCode === EXIT.interrupted
}

/** The answer (or JSON document) on stdout; the summary and trace path on stderr. */
function writeResult(result: RlmResult, exitCode: ExitCode, o: ExecuteRunOptions, facts: RunFacts): void {
  if (o.output === 'json') {
    process.stdout.write(
      `${JSON.stringify({ ...result, exitCode, trace: o.tracePath || null, ...o.jsonExtra })}\n`,
    )
  } else if (o.output === 'text' && result.answer !== '' && printsAnswer(result, exitCode)) {
    process.stdout.write(result.answer.endsWith('\n') ? result.answer : `${result.answer}\n`)
  }
  const trace = o.tracePath || 'none (--no-trace)'
  if (!o.quiet) process.stderr.write(`${summaryLine(result, facts)}\ntrace: ${trace}\n`)
}
