// The short "shape" of a context that the root model is shown instead of the text itself. The
// type is read from whole lines sampled across the text (not only its start), so a log whose
// lines begin with "[2024-01-01 ...]" is a log, not JSON, and a folder of mixed files says so.

export type ContentType =
  | 'prose'
  | 'code'
  | 'json'
  | 'jsonl'
  | 'csv'
  | 'logs'
  | 'markdown'
  | 'mixed'
  | 'empty'

export interface ContextShape {
  length: number
  bytes: number
  lines: number
  /** The same estimate as `estimateTokens()`: one figure for the header and the model. */
  estimatedTokens: number
  documentCount: number
  /** First names (up to 20) of the documents. */
  documentNames: string[]
  type: ContentType
  preview: string
}

const SAMPLES = 8
const SAMPLE_CHARS = 4096

/** Whole lines from SAMPLES windows spread evenly over the text (the start always among them). */
export function sampleWindows(read: (start: number, end: number) => string, length: number): string[] {
  if (length <= SAMPLES * SAMPLE_CHARS) return [read(0, length)]
  const windows: string[] = []
  for (let i = 0; i < SAMPLES; i++) {
    const start = Math.floor(((length - SAMPLE_CHARS) * i) / (SAMPLES - 1))
    let text = read(start, start + SAMPLE_CHARS)
    // Drop the partial first and last lines of a window that starts or ends mid-line (a window
    // inside one long line is kept whole).
    const first = text.indexOf('\n')
    const last = text.lastIndexOf('\n')
    if (first !== -1 && last > first) {
      if (start > 0) text = text.slice(first + 1, start + SAMPLE_CHARS < length ? last : undefined)
      else if (start + SAMPLE_CHARS < length) text = text.slice(0, last)
    }
    windows.push(text)
  }
  return windows
}

const CODE_EXT = /\.(ts|tsx|js|jsx|mjs|cjs|py|rs|go|java|c|cc|cpp|h|hpp|cs|rb|php|swift|kt|scala|sh|sql)$/i
const LOG_LINE =
  /^(\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d|\[?\d\d:\d\d:\d\d|\[?\w{3} +\d+ \d\d:\d\d:\d\d|\[?(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\b|[IWEF]\d{4} \d\d:\d\d)/
const MARKDOWN_LINE = /^(#{1,6} |[-*+] |\d+\. |```|> |\|.*\|\s*$)/
const CODE_LINE =
  /[;{}]\s*$|^\s*(import|export|function|def|class|const|let|var|return|#include|package|fn|pub|if|for|while)\b/

/** One window's type from the share of its lines that look like each kind. */
function windowType(text: string): ContentType {
  const lines = text.split('\n').filter((l) => l.trim() !== '')
  if (lines.length === 0) return 'empty'
  const share = (test: (l: string) => boolean) => lines.filter(test).length / lines.length
  if (share((l) => LOG_LINE.test(l)) > 0.6) return 'logs'
  if (share(isJsonValueLine) > 0.8) return 'jsonl'
  if (isTable(lines)) return 'csv'
  if (share((l) => MARKDOWN_LINE.test(l)) > 0.15) return 'markdown'
  if (share((l) => CODE_LINE.test(l)) > 0.4) return 'code'
  return 'prose'
}

function isJsonValueLine(line: string): boolean {
  const t = line.trim()
  if (!/^[[{].*[\]}]$/.test(t)) return false
  try {
    JSON.parse(t)
    return true
  } catch {
    return false
  }
}

/** Most lines split into the same number (≥ 3) of fields by one delimiter. */
function isTable(lines: readonly string[]): boolean {
  if (lines.length < 3) return false
  for (const delimiter of [',', '\t', ';']) {
    const counts = lines.slice(0, 50).map((l) => l.split(delimiter).length)
    const first = counts[0] ?? 0
    if (first >= 3 && counts.filter((c) => c === first).length / counts.length >= 0.9) return true
  }
  return false
}

/** A JSON document: the text starts with { or [, ends with } or ], and is not one value per line. */
function isJsonDocument(head: string, tail: string): boolean {
  return /^\s*[[{]/.test(head) && /[\]}]\s*$/.test(tail)
}

/**
 * The context's type from sampled windows (see sampleWindows) and the document names: the
 * majority of the windows' types, or 'mixed' when no type holds three in five of them.
 */
export function detectType(windows: readonly string[], names: readonly string[]): ContentType {
  const nonEmpty = windows.filter((w) => w.trim() !== '')
  if (nonEmpty.length === 0) return 'empty'
  if (names.length > 1 && names.filter((n) => CODE_EXT.test(n)).length * 2 >= names.length) return 'code'
  if (names.length === 1 && CODE_EXT.test(names[0] ?? '')) return 'code'
  const types = nonEmpty.map(windowType)
  const votes = new Map<ContentType, number>()
  for (const t of types) votes.set(t, (votes.get(t) ?? 0) + 1)
  const [top, count] = [...votes.entries()].sort((a, b) => b[1] - a[1])[0] as [ContentType, number]
  if (top !== 'jsonl' && top !== 'logs' && isJsonDocument(nonEmpty[0] ?? '', nonEmpty.at(-1) ?? ''))
    return 'json'
  return count / types.length >= 0.6 ? top : 'mixed'
}

export function formatShape(shape: ContextShape): string {
  const names = shape.documentNames.join(', ')
  const more = shape.documentCount > shape.documentNames.length ? `, ... (${shape.documentCount} in all)` : ''
  return [
    `Context: ${shape.length.toLocaleString('en-US')} characters (~${shape.estimatedTokens.toLocaleString('en-US')} tokens), ${shape.lines.toLocaleString('en-US')} lines, type: ${shape.type}.`,
    `Documents (${shape.documentCount}): ${names}${more}`,
    `Starts with:\n${shape.preview}`,
  ].join('\n')
}
