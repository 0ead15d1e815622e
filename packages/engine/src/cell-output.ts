// Turns the sandbox's result for each cell into the text the model reads next turn.

import type { SandboxRunResult } from './node-state.ts'

const VALUE_PREVIEW_CHARS = 2_000

export function formatCell(r: SandboxRunResult): string {
  let text = r.output
  const sep = (): string => (text === '' || text.endsWith('\n') ? '' : '\n')
  if (!r.ok) text += `${sep()}Error ${r.error.code}: ${r.error.message}`
  else if (text === '' && r.value !== undefined) text = `=> ${preview(r.value)}`
  if (r.reset) text += `${sep()}[The REPL was reset after this error: variables from earlier turns are gone.]`
  return text
}

export function joinCells(outputs: string[]): string {
  if (outputs.length === 1) return outputs[0]!
  return outputs.map((o, i) => `[block ${i + 1}]\n${o}`).join('\n')
}

function preview(value: unknown): string {
  let s: string
  try {
    s = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value))
  } catch {
    s = String(value)
  }
  return s.length > VALUE_PREVIEW_CHARS ? `${s.slice(0, VALUE_PREVIEW_CHARS)}… (${s.length} characters)` : s
}
