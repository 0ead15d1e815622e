// Turns any thrown value into the one line `rlm` prints on stderr: the code, what went wrong and
// what to do, plus the exit code that goes with it.

import { type ExitCode, exitCodeFor, isRlmError, redactSecrets } from '@rlm/errors'
import { hintFor, inCliTerms } from './error-hints.ts'

export interface ErrorReport {
  code: string
  /** What went wrong and what to do (the line without its prefix and exit code). */
  message: string
  exitCode: ExitCode
  line: string
}

export function describeError(err: unknown): ErrorReport {
  const code = isRlmError(err) ? err.code : 'E_INTERNAL'
  const raw = err instanceof Error ? err.message : String(err)
  return reportFor(code, raw)
}

export function reportFor(code: string, raw: string): ErrorReport {
  const exitCode = exitCodeFor(code)
  // One line: newlines from nested messages would break scripts that read stderr line by line.
  // Redacted: a server may have echoed the key into the message.
  let message = inCliTerms(
    redactSecrets(raw)
      .replace(/\s*\n\s*/g, ' ')
      .trim(),
  )
  if (!/[.!?]$/.test(message)) message += '.'
  message += hintFor(code, exitCode, message)
  return { code, message, exitCode, line: `rlm: error ${code}: ${message} (exit ${exitCode})` }
}

/**
 * Prints a failure: with --json, `{ status: 'error', error: { code, message }, exitCode }` on
 * stdout for scripts; always the one error line, last on stderr, for people.
 */
export function printFailure(report: ErrorReport, json: boolean): void {
  if (json) {
    const doc = {
      status: 'error',
      error: { code: report.code, message: report.message },
      exitCode: report.exitCode,
    }
    process.stdout.write(`${JSON.stringify(doc)}\n`)
  }
  process.stderr.write(`${report.line}\n`)
}
