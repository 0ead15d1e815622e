// Turns any thrown value into the one line `rlm` prints on stderr: the code, what went wrong and
// what to do, plus the exit code that goes with it.

import { isRlmError } from '@rlm/errors'
import { EXIT, type ExitCode, exitCodeFor } from './exit-codes.ts'

const HINTS: Record<number, string> = {
  [EXIT.usage]: 'check the command line, rlm.config.json and RLM_* variables (`rlm config`, `rlm --help`).',
  [EXIT.provider]: 'check the model id, key and server (`rlm doctor`), then retry.',
  [EXIT.budget]: 'raise the budget (--budget-tokens, --budget-usd, --timeout, --max-iterations).',
  [EXIT.internal]: 'this is a bug or a sandbox limit; rerun with --verbose and report it with the trace.',
  [EXIT.interrupted]: 'the run was interrupted.',
}

export interface ErrorReport {
  code: string
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
  let message = raw.replace(/\s*\n\s*/g, ' ').trim()
  if (!/[.!?]$/.test(message)) message += '.'
  const saysWhatToDo =
    /\b(pass|set|see|use|install|add|check|start|raise|give|run|choose|remove|rename|is .+ running)\b/i
  const hint = saysWhatToDo.test(message) ? '' : ` To fix: ${HINTS[exitCode] ?? HINTS[EXIT.internal]}`
  return { code, message, exitCode, line: `rlm: error ${code}: ${message}${hint} (exit ${exitCode})` }
}
