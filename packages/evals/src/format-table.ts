// The plain-text table the CLI prints: one row per suite x size x method.
import type { SizeSummary } from './aggregate.ts'
import type { EvalReport } from './eval-report.ts'
import { formatSize } from './size.ts'

/**
 * Column names of the summary table, shared by the text and HTML reports. Every figure after
 * accuracy is a mean per task (a row of sums next to a row of means misleads); the totals of the
 * whole run are one line under the table.
 */
export const SUMMARY_HEADERS: readonly string[] = [
  'suite',
  'size',
  'method',
  'tasks',
  'accuracy',
  'in tokens/task',
  'out tokens/task',
  'USD/task',
  'time/task',
  'sub-calls/task',
  'notes',
]

export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`
  return String(Math.round(n))
}

export function formatDuration(ms: number): string {
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`
  return `${Math.round(ms)} ms`
}

function notes(s: SizeSummary): string {
  const parts: string[] = []
  if (s.errors) parts.push(`${s.errors} error${s.errors > 1 ? 's' : ''}`)
  if (s.budgetExhausted) parts.push(`${s.budgetExhausted} out of budget`)
  if (s.truncated) parts.push(`${s.truncated} truncated`)
  if (s.unpricedCalls) parts.push(`${s.unpricedCalls} unpriced call${s.unpricedCalls > 1 ? 's' : ''}`)
  return parts.join(', ')
}

export function summaryRows(summary: readonly SizeSummary[]): string[][] {
  return summary.map((s) => {
    const perTask = (total: number) => total / Math.max(1, s.tasks)
    return [
      s.suite,
      formatSize(s.size),
      s.method,
      String(s.tasks),
      `${(s.accuracy * 100).toFixed(1)}% (${s.correct}/${s.tasks})`,
      formatCount(perTask(s.inputTokens)),
      formatCount(perTask(s.outputTokens)),
      perTask(s.costUsd).toFixed(4),
      formatDuration(s.meanDurationMs),
      s.meanSubCalls.toFixed(1),
      notes(s),
    ]
  })
}

/** The run's sums, under the per-task table. */
export function totalsLine(summary: readonly SizeSummary[]): string {
  const sum = (pick: (s: SizeSummary) => number) => summary.reduce((n, s) => n + pick(s), 0)
  const tasks = sum((s) => s.tasks)
  return `total: ${tasks} task${tasks === 1 ? '' : 's'}, ${formatCount(sum((s) => s.inputTokens))} in / ${formatCount(sum((s) => s.outputTokens))} out tokens, $${sum((s) => s.costUsd).toFixed(4)}`
}

/** A fixed-width table of the report's per-size figures, headed by what the scores mean. */
export function formatTable(report: Pick<EvalReport, 'summary' | 'note' | 'model' | 'subModel'>): string {
  const rows = [SUMMARY_HEADERS, ...summaryRows(report.summary)]
  const widths = SUMMARY_HEADERS.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length)))
  const line = (row: readonly string[]) =>
    row
      .map((cell, col) =>
        col >= 3 && col <= 9 ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0),
      )
      .join('  ')
      .trimEnd()
  const rule = widths.map((w) => '-'.repeat(w)).join('  ')
  return [
    report.note,
    `model: ${report.model}  sub-model: ${report.subModel}`,
    '',
    line(SUMMARY_HEADERS),
    rule,
    ...rows.slice(1).map(line),
    rule,
    totalsLine(report.summary),
  ].join('\n')
}
