// How a queued job reads on the terminal: its exit code (the one `rlm run` would give the same
// outcome), the error line of a job that did not answer, a list as a table, one job in detail.

import { EXIT, type ExitCode, exitCodeFor } from '@rlm/errors'
import type { JobInfo } from '@rlm/queue'
import { type ErrorReport, reportFor } from '../error-report.ts'
import { formatCount } from '../progress/figures.ts'

/** Exit code of a finished job: 0 answered, 4 budget, 130 cancelled, else its error code's. */
export function exitCodeOfJob(info: JobInfo): ExitCode {
  if (info.state === 'completed') {
    if (info.result?.status === 'final') return EXIT.ok
    if (info.result?.status === 'budget_exhausted') return EXIT.budget
    return EXIT.internal
  }
  if (info.state === 'cancelled') return EXIT.interrupted
  return exitCodeFor(info.error?.code ?? 'E_INTERNAL')
}

/** The error line for a job that ended without an answer (undefined for an answer). */
export function jobFailure(info: JobInfo): ErrorReport | undefined {
  if (info.state === 'completed' && info.result?.status !== 'error') return undefined
  if (info.state === 'cancelled')
    return reportFor('E_ABORTED', `Job ${info.id} was cancelled: rlm jobs retry ${info.id} queues it again`)
  const error = info.error ?? { code: 'E_INTERNAL', message: `Job ${info.id} ended without a result` }
  return reportFor(error.code, `Job ${info.id} failed after ${info.attempts} attempt(s): ${error.message}`)
}

const when = (ms: number | undefined): string => (ms === undefined ? '-' : new Date(ms).toISOString())

function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

/** One line per job, newest first: id, state, attempts, created, query. */
export function formatJobList(jobs: readonly JobInfo[]): string {
  if (jobs.length === 0) return 'no jobs'
  const rows = jobs.map((j) => [
    j.id,
    j.state,
    `${j.attempts}/${j.maxAttempts}`,
    when(j.createdAt),
    clip(j.query, 60),
  ])
  const header = ['ID', 'STATE', 'ATTEMPTS', 'CREATED', 'QUERY']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)))
  return [header, ...rows]
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] as number)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

/** One job in detail: state, times, result or error, and its latest events. */
export function formatJob(info: JobInfo): string {
  const lines = [
    `job       ${info.id}`,
    `state     ${info.state} (attempt ${info.attempts} of ${info.maxAttempts})`,
    `query     ${clip(info.query, 200)}`,
    `created   ${when(info.createdAt)}`,
    `started   ${when(info.startedAt)}`,
    `finished  ${when(info.finishedAt)}`,
  ]
  const r = info.result
  if (r) {
    lines.push(
      `status    ${r.status}`,
      `tokens    ${formatCount(r.usage.inputTokens)} in, ${formatCount(r.usage.outputTokens)} out`,
    )
    if (r.replayedCalls) lines.push(`replayed  ${r.replayedCalls} model call(s) served from the journal`)
    if (r.tracePath) lines.push(`trace     ${r.tracePath}`)
    lines.push('answer', r.answer)
  }
  if (info.error) lines.push(`error     ${info.error.code}: ${info.error.message}`)
  if (info.progress.length > 0) {
    lines.push('recent events')
    for (const e of info.progress) {
      const what =
        e.type === 'job' ? `job ${e.state}${e.worker ? ` on ${e.worker}` : ''}` : String(e.event.type)
      lines.push(`  ${when(e.at)}  attempt ${e.attempt}  ${what}`)
    }
  }
  return lines.join('\n')
}
