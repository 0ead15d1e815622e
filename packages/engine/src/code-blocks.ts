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
    // A fence line inside an open block comment or template literal belongs to the code.
    while (i < lines.length && !(isClose(lines[i]!, fence) && !endsOpen(body))) body.push(lines[i++]!)
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
    if (FINAL_LINE.test(lines[i]!)) {
      // The paper writes FINAL_VAR(name) with a bare name: pass the name, not its value.
      outside.push(lines[i]!.trim().replace(/^FINAL_VAR\s*\(\s*([A-Za-z_$][\w$]*)\s*\)/, 'FINAL_VAR("$1")'))
    }
    i++
  }
  return outside
}

/** True when `lines` of JavaScript end inside an unterminated block comment or template literal. */
function endsOpen(lines: string[]): boolean {
  const code = lines.join('\n')
  if (!code.includes('`') && !code.includes('/*')) return false
  // States: 0 code, 1 'str', 2 "str", 3 template, 4 line comment, 5 block comment.
  const stack: number[] = [0]
  const braces: number[] = [0]
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!
    const state = stack[stack.length - 1]!
    if (state === 4) {
      if (c === '\n') stack.pop()
    } else if (state === 5) {
      if (c === '*' && code[i + 1] === '/') {
        stack.pop()
        i++
      }
    } else if (state === 1 || state === 2) {
      if (c === '\\') i++
      else if ((state === 1 && c === "'") || (state === 2 && c === '"') || c === '\n') stack.pop()
    } else if (state === 3) {
      if (c === '\\') i++
      else if (c === '`') stack.pop()
      else if (c === '$' && code[i + 1] === '{') {
        stack.push(0)
        braces.push(0)
        i++
      }
    } else {
      if (c === "'") stack.push(1)
      else if (c === '"') stack.push(2)
      else if (c === '`') stack.push(3)
      else if (c === '/' && code[i + 1] === '/') stack.push(4)
      else if (c === '/' && code[i + 1] === '*') stack.push(5)
      else if (c === '{') braces[braces.length - 1]!++
      else if (c === '}') {
        if (braces[braces.length - 1] === 0 && stack.length > 1) {
          stack.pop() // end of a ${...} substitution: back inside the template
          braces.pop()
        } else braces[braces.length - 1]!--
      }
    }
  }
  return stack.includes(3) || stack.includes(5)
}
