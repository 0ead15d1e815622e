// Runs one query through the engine for `rlm run` and `rlm demo`: progress on stderr, the answer,
// JSON document or event stream on stdout, the trace on disk, Ctrl-C handled; returns the exit code.

import type { ContextInput, RlmConfigInput, RlmEvent, RlmResult } from '@rlm/engine'
import { reportFor } from '../error-report.ts'
import { EXIT, type ExitCode, exitCodeFor } from '../exit-codes.ts'
import { formatCount, formatMs, formatUsd } from '../progress/figures.ts'
import { createProgressView, type ProgressView } from '../progress/progress-view.ts'
import { installInterrupt } from './interrupt.ts'

export type OutputMode = 'text' | 'json' | 'events'

export interface ExecuteRunOptions {
  engine: RlmConfigInput
  query: string
  context?: ContextInput | undefined
  tracePath: string
  output: OutputMode
  quiet: boolean
  verbose: boolean
  /** Extra listener (the demo's tree view). */
  onEvent?: (event: RlmEvent) => void
}

export interface ExecutedRun {
  result: RlmResult
  exitCode: ExitCode
  interrupted: boolean
}

export function exitCodeOf(result: RlmResult, interrupted: boolean): ExitCode {
  if (interrupted) return EXIT.interrupted
  if (result.status === 'final') return EXIT.ok
  if (result.status === 'budget_exhausted') return EXIT.budget
  return exitCodeFor(result.error?.code ?? 'E_INTERNAL')
}

export async function executeRun(o: ExecuteRunOptions): Promise<ExecutedRun> {
  const { createRlm } = await import('@rlm/engine')
  const rlm = createRlm({ logLevel: o.verbose ? 'error' : 'silent', ...o.engine })
  const progress: ProgressView | undefined = o.quiet ? undefined : createProgressView({ verbose: o.verbose })
  const interrupt = installInterrupt(() => {
    progress?.stop()
    process.stderr.write('rlm: interrupting: aborting in-flight calls (Ctrl-C again to quit at once)\n')
  })
  const onEvent = (event: RlmEvent): void => {
    if (o.output === 'events') process.stdout.write(`${JSON.stringify(event)}\n`)
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
    })
  } finally {
    progress?.stop()
    interrupt.dispose()
  }
  const exitCode = exitCodeOf(result, interrupt.interrupted)
  writeResult(result, exitCode, o)
  return { result, exitCode, interrupted: interrupt.interrupted }
}

function writeResult(result: RlmResult, exitCode: ExitCode, o: ExecuteRunOptions): void {
  if (o.output === 'json') {
    process.stdout.write(`${JSON.stringify({ ...result, exitCode, trace: o.tracePath })}\n`)
  } else if (o.output === 'text' && result.answer !== '') {
    process.stdout.write(result.answer.endsWith('\n') ? result.answer : `${result.answer}\n`)
  }
  if (exitCode === EXIT.interrupted) {
    process.stderr.write(
      `rlm: interrupted (exit 130); ${result.answer ? 'partial answer printed' : 'no partial answer yet'}; trace: ${o.tracePath}\n`,
    )
  } else if (exitCode === EXIT.budget) {
    process.stderr.write(
      `rlm: error E_BUDGET: budget ${result.budget ?? ''} exhausted; the partial answer (from ${result.partialFrom ?? 'the last output'}) was printed. To fix: raise the budget (--budget-tokens, --budget-usd, --timeout, --max-iterations). (exit 4)\n`,
    )
  } else if (result.status === 'error') {
    const e = result.error ?? { code: 'E_INTERNAL', message: 'the run failed without an error message' }
    process.stderr.write(`${reportFor(e.code, e.message).line}\n`)
  }
  if (!o.quiet) process.stderr.write(`${summaryLine(result)}\ntrace: ${o.tracePath}\n`)
}

export function summaryLine(r: RlmResult): string {
  const u = r.usage
  return [
    `${r.status}`,
    `${r.tree.iterations.length} iterations`,
    `${r.subCalls} sub-calls`,
    `depth ${r.maxDepthReached}`,
    `${formatCount(u.inputTokens)} in / ${formatCount(u.outputTokens)} out tokens`,
    formatUsd(u.costUsd, u.unpricedCalls),
    formatMs(r.durationMs),
  ].join(' · ')
}
