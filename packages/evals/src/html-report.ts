// A self-contained HTML report: an inline SVG chart of accuracy against context size (one
// panel per suite, one line per method) and the figures table. No scripts, no network.
import type { SizeSummary } from './aggregate.ts'
import type { EvalReport } from './eval-report.ts'
import { SUMMARY_HEADERS, summaryRows } from './format-table.ts'
import { formatSize } from './size.ts'

const COLORS: Record<string, string> = { rlm: '#1f77b4', direct: '#d62728' }
const PANEL = { width: 360, height: 240, left: 48, right: 16, top: 32, bottom: 40 }

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function panel(suite: string, rows: SizeSummary[], offsetX: number): string {
  const sizes = [...new Set(rows.map((r) => r.size))].sort((a, b) => a - b)
  const plotW = PANEL.width - PANEL.left - PANEL.right
  const plotH = PANEL.height - PANEL.top - PANEL.bottom
  const x = (size: number) =>
    PANEL.left + (sizes.length === 1 ? plotW / 2 : (sizes.indexOf(size) / (sizes.length - 1)) * plotW)
  const y = (accuracy: number) => PANEL.top + (1 - accuracy) * plotH
  const parts = [`<g transform="translate(${offsetX},0)">`]
  parts.push(
    `<text x="${PANEL.width / 2}" y="18" text-anchor="middle" font-weight="bold">${escapeHtml(suite)}</text>`,
  )
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line x1="${PANEL.left}" x2="${PANEL.width - PANEL.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#ddd"/>`,
      `<text x="${PANEL.left - 6}" y="${y(tick) + 4}" text-anchor="end" font-size="11">${tick * 100}%</text>`,
    )
  }
  for (const size of sizes) {
    parts.push(
      `<text x="${x(size)}" y="${PANEL.height - PANEL.bottom + 16}" text-anchor="middle" font-size="11">${formatSize(size)}</text>`,
    )
  }
  parts.push(
    `<text x="${PANEL.width / 2}" y="${PANEL.height - 6}" text-anchor="middle" font-size="11">context size (tokens)</text>`,
  )
  for (const method of ['rlm', 'direct']) {
    const series = rows.filter((r) => r.method === method).sort((a, b) => a.size - b.size)
    if (series.length === 0) continue
    const color = COLORS[method] ?? '#333'
    const points = series.map((r) => `${x(r.size).toFixed(1)},${y(r.accuracy).toFixed(1)}`).join(' ')
    parts.push(`<polyline points="${points}" fill="none" stroke="${color}" stroke-width="2"/>`)
    for (const r of series) {
      parts.push(
        `<circle cx="${x(r.size).toFixed(1)}" cy="${y(r.accuracy).toFixed(1)}" r="3.5" fill="${color}"><title>${escapeHtml(`${method} ${formatSize(r.size)}: ${(r.accuracy * 100).toFixed(1)}% (${r.correct}/${r.tasks})`)}</title></circle>`,
      )
    }
  }
  parts.push('</g>')
  return parts.join('')
}

/** The accuracy chart alone, as an SVG element. */
export function renderAccuracyChart(summary: readonly SizeSummary[]): string {
  const suites = [...new Set(summary.map((s) => s.suite))]
  const width = Math.max(1, suites.length) * PANEL.width
  const height = PANEL.height + 28
  const legend = Object.entries(COLORS)
    .filter(([method]) => summary.some((s) => s.method === method))
    .map(
      ([method, color], i) =>
        `<g transform="translate(${16 + i * 110},${PANEL.height + 10})"><rect width="14" height="4" y="-4" fill="${color}"/><text x="20" y="0" font-size="12">${method === 'rlm' ? 'RLM' : 'direct (truncated)'}</text></g>`,
    )
    .join('')
  const panels = suites
    .map((suite, i) =>
      panel(
        suite,
        summary.filter((s) => s.suite === suite),
        i * PANEL.width,
      ),
    )
    .join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" role="img" aria-label="Accuracy by context size">${panels}${legend}</svg>`
}

const clip = (text: string, max = 120) => (text.length > max ? `${text.slice(0, max)}…` : text)

function taskRows(report: EvalReport): string {
  const header = ['task', 'method', 'score', 'status', 'expected', 'prediction', 'tokens in/out', 'time']
  const rows = report.results.map((r) =>
    [
      r.taskId,
      r.method,
      String(r.score),
      r.status + (r.error ? ` (${r.error.code})` : r.budget ? ` (${r.budget})` : ''),
      clip(r.answer),
      clip(r.prediction),
      `${r.inputTokens}/${r.outputTokens}`,
      `${Math.round(r.durationMs)} ms`,
    ]
      .map((cell) => `<td>${escapeHtml(cell)}</td>`)
      .join(''),
  )
  return [
    `<tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr>`,
    ...rows.map((row) => `<tr>${row}</tr>`),
  ].join('\n')
}

export function renderHtmlReport(report: EvalReport): string {
  const header = SUMMARY_HEADERS
  const table = [
    `<tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`,
    ...summaryRows(report.summary).map(
      (row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`,
    ),
  ].join('\n')
  const title =
    report.kind === 'mechanics-check' ? 'rlm eval: offline mechanics check' : 'rlm eval: model accuracy'
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
.note { padding: .6rem .8rem; background: ${report.kind === 'mechanics-check' ? '#fff4d6' : '#eef5ff'}; border-radius: 4px; max-width: 60rem; }
table { border-collapse: collapse; margin-top: 1rem; font-size: 14px; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; }
table:not(.tasks) td:nth-child(n+4):nth-child(-n+10) { text-align: right; font-variant-numeric: tabular-nums; }
details { margin-top: 1.5rem; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="note">${escapeHtml(report.note)}</p>
<p>Model: <code>${escapeHtml(report.model)}</code>, sub-model: <code>${escapeHtml(report.subModel)}</code>, seed ${report.seed}, ${report.tasksPerSize} task(s) per suite and size, started ${escapeHtml(report.startedAt)}.</p>
${renderAccuracyChart(report.summary)}
<table>
${table}
</table>
<details>
<summary>Every task (${report.results.length})</summary>
<table class="tasks">
${taskRows(report)}
</table>
</details>
</body>
</html>
`
}
