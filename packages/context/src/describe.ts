// The short "shape" of a context that the root model is shown instead of the text itself.

export type ContentType = 'prose' | 'code' | 'json' | 'csv' | 'logs' | 'markdown' | 'mixed' | 'empty'

export interface ContextShape {
  length: number
  bytes: number
  lines: number
  estimatedTokens: number
  documentCount: number
  /** First names (up to 20) of the documents. */
  documentNames: string[]
  type: ContentType
  preview: string
}

/** Guesses the type from a sample of the start (and document names, for code). */
export function detectType(sample: string, names: readonly string[]): ContentType {
  const s = sample.trimStart()
  if (s.length === 0) return 'empty'
  const codeExt = /\.(ts|tsx|js|jsx|mjs|cjs|py|rs|go|java|c|cc|cpp|h|hpp|cs|rb|php|swift|kt|scala|sh|sql)$/i
  if (names.length > 1 && names.filter((n) => codeExt.test(n)).length * 2 >= names.length) return 'code'
  if (names.length === 1 && codeExt.test(names[0] ?? '')) return 'code'
  if (/^[[{]/.test(s)) {
    const lines = s.split('\n', 5)
    if (lines.length > 1 && lines.every((l) => l === '' || /^[[{]/.test(l.trim()))) return 'json'
    if (/^[[{]\s*["{[\]}\d]/.test(s)) return 'json'
  }
  const lines = s.split('\n', 50).filter((l) => l.trim() !== '')
  const share = (re: RegExp) => lines.filter((l) => re.test(l)).length / Math.max(1, lines.length)
  if (
    share(
      /^(\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d|\[?\d\d:\d\d:\d\d|\w{3} +\d+ \d\d:\d\d:\d\d|\[(INFO|WARN|ERROR|DEBUG)\])/,
    ) > 0.6
  )
    return 'logs'
  const commas = lines.slice(0, 10).map((l) => l.split(',').length)
  if (commas.length > 2 && (commas[0] ?? 0) > 2 && commas.every((c) => c === commas[0])) return 'csv'
  if (share(/^(#{1,6} |[-*] |\d+\. |```)/) > 0.15) return 'markdown'
  if (
    share(/[;{}]\s*$|^\s*(import|export|function|def|class|const|let|var|return|#include|package|fn|pub)\b/) >
    0.4
  )
    return 'code'
  return 'prose'
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
