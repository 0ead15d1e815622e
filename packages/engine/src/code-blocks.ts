// Finds the code a reply asks to run: fenced blocks tagged js, javascript or repl. Fences count
// only at the start of a line, so three backticks inside a string of the code do not end a block.

const OPEN = /^ {0,3}(`{3,}|~{3,})[ \t]*(js|javascript|repl|jsx|mjs)\b[^\n`]*$/i
const LANGLESS_OPEN = /^ {0,3}(`{3,}|~{3,})[ \t]*$/

export interface ExtractOptions {
  /** Also run untagged ``` blocks (off: prose replies often fence plain text). */
  untagged?: boolean
}

/** The code of every runnable block in `reply`, in order. An unclosed last block runs to the end. */
export function extractCodeBlocks(reply: string, options: ExtractOptions = {}): string[] {
  const lines = reply.split(/\r?\n/)
  const blocks: string[] = []
  let i = 0
  while (i < lines.length) {
    const line = lines[i]!
    const open = OPEN.exec(line) ?? (options.untagged ? LANGLESS_OPEN.exec(line) : null)
    if (!open) {
      // Skip over fenced blocks of other languages so their contents are not mistaken for fences.
      const other = /^ {0,3}(`{3,}|~{3,})/.exec(line)
      if (other) i = skipBlock(lines, i + 1, other[1]!)
      else i++
      continue
    }
    const fence = open[1]!
    const body: string[] = []
    i++
    while (i < lines.length && !isClose(lines[i]!, fence)) body.push(lines[i++]!)
    i++ // past the closing fence
    const code = body.join('\n')
    if (code.trim() !== '') blocks.push(code)
  }
  return blocks
}

function isClose(line: string, fence: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line)
  return m !== null && m[1]![0] === fence[0] && m[1]!.length >= fence.length
}

function skipBlock(lines: string[], from: number, fence: string): number {
  let i = from
  while (i < lines.length && !isClose(lines[i]!, fence)) i++
  return i + 1
}

const FINAL_LINE = /^\s*(FINAL_VAR|FINAL)\s*\(.*\)\s*;?\s*$/

/**
 * Lines outside code blocks that call FINAL(...) or FINAL_VAR(...), for models trained on the
 * paper's convention of writing the call as text. They are executed like code, never parsed.
 */
export function extractFinalCalls(reply: string): string[] {
  const outside: string[] = []
  const lines = reply.split(/\r?\n/)
  let i = 0
  while (i < lines.length) {
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(lines[i]!)
    if (fence) {
      i = skipBlock(lines, i + 1, fence[1]!)
      continue
    }
    if (FINAL_LINE.test(lines[i]!)) outside.push(lines[i]!.trim())
    i++
  }
  return outside
}
