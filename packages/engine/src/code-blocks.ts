// Finds the code a reply asks to run: fenced blocks tagged js, javascript or repl. Fences count
// only at the start of a line, and inside a JavaScript block a fence line closes it only where
// acorn's tokenizer says the code so far is not inside a template literal, comment or regex.

import { tokenizer } from 'acorn'

const FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*([\w+-]*)[^\n`]*$/
const RUNNABLE = new Set(['js', 'javascript', 'repl', 'jsx', 'mjs'])

export interface ExtractOptions {
  /** Also run untagged ``` blocks (off: prose replies often fence plain text). */
  untagged?: boolean
}

/** One fenced block of a reply: its language tag (lower case, '' when untagged) and its lines. */
export interface FencedBlock {
  lang: string
  code: string
  /** Line indexes of the opening fence and of the closing one (lines.length when unclosed). */
  open: number
  close: number
}

/** Every fenced block of `reply`, in order; an unclosed last block runs to the end. */
export function fencedBlocks(reply: string, options: ExtractOptions = {}): FencedBlock[] {
  const lines = reply.split(/\r?\n/)
  const blocks: FencedBlock[] = []
  let i = 0
  while (i < lines.length) {
    const open = FENCE.exec(lines[i]!)
    if (!open) {
      i++
      continue
    }
    const fence = open[1]!
    const lang = open[2]!.toLowerCase()
    const runnable = isRunnable(lang, options)
    const body: string[] = []
    let j = i + 1
    while (j < lines.length && !(isClose(lines[j]!, fence) && !(runnable && insideLiteral(body)))) {
      body.push(lines[j]!)
      j++
    }
    blocks.push({ lang, code: body.join('\n'), open: i, close: j })
    i = j + 1
  }
  return blocks
}

/** The code of every runnable block in `reply`, in order. An unclosed last block runs to the end. */
export function extractCodeBlocks(reply: string, options: ExtractOptions = {}): string[] {
  return fencedBlocks(reply, options)
    .filter((b) => isRunnable(b.lang, options))
    .map((b) => b.code)
    .filter((code) => code.trim() !== '')
}

function isRunnable(lang: string, options: ExtractOptions): boolean {
  return RUNNABLE.has(lang) || (options.untagged === true && lang === '')
}

function isClose(line: string, fence: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line)
  return m !== null && m[1]![0] === fence[0] && m[1]!.length >= fence.length
}

const FINAL_LINE = /^\s*(FINAL_VAR|FINAL)\s*\(.*\)\s*;?\s*$/

/**
 * Lines outside code blocks that call FINAL(...) or FINAL_VAR(...), for models trained on the
 * paper's convention of writing the call as text. They are executed like code, never parsed.
 */
export function extractFinalCalls(reply: string): string[] {
  const lines = reply.split(/\r?\n/)
  const fenced = new Set<number>()
  for (const b of fencedBlocks(reply)) for (let k = b.open; k <= b.close; k++) fenced.add(k)
  const outside: string[] = []
  lines.forEach((line, k) => {
    if (fenced.has(k) || !FINAL_LINE.test(line)) return
    // The paper writes FINAL_VAR(name) with a bare name: pass the name, not its value.
    outside.push(line.trim().replace(/^FINAL_VAR\s*\(\s*([A-Za-z_$][\w$]*)\s*\)/, 'FINAL_VAR("$1")'))
  })
  return outside
}

const OPEN_LITERAL = /^Unterminated (template|comment|regular expression)/
/** Restarts past characters the tokenizer rejects (a stray `@`, a Python line), at most this often. */
const MAX_RESTARTS = 20

/** True when `lines` of JavaScript end inside an unterminated template literal, block comment or regex. */
function insideLiteral(lines: string[]): boolean {
  const code = lines.join('\n')
  if (!/[`/]/.test(code)) return false
  let from = 0
  for (let restarts = 0; restarts <= MAX_RESTARTS; restarts++) {
    try {
      for (const _ of tokenizer(code.slice(from), {
        ecmaVersion: 'latest',
        allowAwaitOutsideFunction: true,
        allowReturnOutsideFunction: true,
        allowHashBang: true,
      })) {
        // walking the tokens is the check
      }
      return false
    } catch (e) {
      const message = (e as Error).message ?? ''
      if (OPEN_LITERAL.test(message)) return true
      const pos = (e as { pos?: unknown }).pos
      if (typeof pos !== 'number') return false
      from += pos + 1
    }
  }
  return false
}
