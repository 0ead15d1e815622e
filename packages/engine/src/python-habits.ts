// Models trained on the paper's Python REPL write ```python blocks and Python-isms. Such code is
// never run: the model gets one corrective message with the JavaScript for what its code used.

import { parse } from 'acorn'
import { type ExtractOptions, fencedBlocks } from './code-blocks.ts'

const PYTHON_TAGS = new Set(['python', 'py', 'python3', 'ipython', 'pycon'])
const RUNNABLE_TAGS = new Set(['js', 'javascript', 'repl', 'jsx', 'mjs'])

/** Python constructs and their JavaScript, in the order the message lists them. */
const EQUIVALENTS: Array<{ seen: RegExp; python: string; js: string }> = [
  // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript shown to the model
  { seen: /\bf["']/, python: 'f"total: {n}"', js: '`total: ${n}`' },
  { seen: /\blen\s*\(/, python: 'len(x)', js: 'x.length' },
  {
    seen: /^[^\S\n\r\u2028\u2029]*for\s+[\w, ()]+\s+in\s+.+:[^\S\n\r\u2028\u2029]*$/m,
    python: 'for x in xs:',
    js: 'for (const x of xs) { ... }',
  },
  {
    seen: /\[[^\]\n]*\bfor\b[^\]\n]*\bin\b[^\]\n]*\]/,
    python: '[f(x) for x in xs if p(x)]',
    js: 'xs.filter(p).map(f)',
  },
  { seen: /\brange\s*\(/, python: 'range(n)', js: 'Array.from({ length: n }, (_, i) => i)' },
  { seen: /["']\s*\.join\s*\(/, python: '"\\n".join(parts)', js: 'parts.join("\\n")' },
  { seen: /\[\s*-?\d*\s*:\s*-?\d*\s*\]/, python: 'text[a:b]', js: 'text.slice(a, b)' },
  { seen: /\.append\s*\(/, python: 'xs.append(x)', js: 'xs.push(x)' },
  {
    seen: /^[^\S\n\r\u2028\u2029]*def\s+\w+\s*\(.*\)\s*:/m,
    python: 'def f(x):',
    js: 'function f(x) { ... } (or const f = (x) => ...)',
  },
  {
    seen: /^[^\S\n\r\u2028\u2029]*(if|elif|while)\b.*:[^\S\n\r\u2028\u2029]*$/m,
    python: 'if a: ... elif b: ...',
    js: 'if (a) { ... } else if (b) { ... }',
  },
  {
    seen: /^[^\S\n\r\u2028\u2029]*(import|from)\s+\w+/m,
    python: 'import re; re.findall(p, s)',
    js: 's.match(/p/g) (regexes are built in; nothing to import)',
  },
  {
    seen: /\.(strip|lower|upper)\s*\(/,
    python: 's.strip() / s.lower() / s.upper()',
    js: 's.trim() / s.toLowerCase() / s.toUpperCase()',
  },
  { seen: /\.(startswith|endswith)\s*\(/, python: 's.startswith(p)', js: 's.startsWith(p)' },
  {
    seen: /\b(str|int|float)\s*\(/,
    python: 'str(x) / int(s) / float(s)',
    js: 'String(x) / parseInt(s, 10) / Number(s)',
  },
  {
    seen: /\.items\s*\(\s*\)/,
    python: 'for k, v in d.items():',
    js: 'for (const [k, v] of Object.entries(d)) { ... }',
  },
  { seen: /\bsorted\s*\(/, python: 'sorted(xs, key=f)', js: '[...xs].sort((a, b) => f(a) - f(b))' },
  { seen: /^[^\S\n\r\u2028\u2029]*#/m, python: '# comment', js: '// comment' },
]

/** Signs of Python that JavaScript never has (a repl block only counts as Python when it fails to parse too). */
// Line-anchored signs match whitespace within the line only (\s without line terminators): a
// leading or trailing \s* ran on across lines, and a reply's code block of 20,000 blank lines
// held the host for 14 s (quadratic), here and in EQUIVALENTS.
const PYTHON_SIGNS = [
  /^[^\S\n\r\u2028\u2029]*(def|class)\s+\w+.*:[^\S\n\r\u2028\u2029]*$/m,
  /^[^\S\n\r\u2028\u2029]*(for|while|if|elif|else|try|except|with)\b.*:[^\S\n\r\u2028\u2029]*$/m,
  /^[^\S\n\r\u2028\u2029]*(import|from)\s+\w+/m,
  /\bf["'][^"'\n]*\{/,
  /\b(elif|except|lambda)\b/,
  /^[^\S\n\r\u2028\u2029]*print\s+["'\w]/m,
  /^[^\S\n\r\u2028\u2029]*#(?!!)/m,
]

export interface ReplyCode {
  /** JavaScript blocks to run, in order. */
  code: string[]
  /** Blocks that are Python: never run, answered with pythonCorrection(). */
  python: string[]
}

/** The reply's runnable JavaScript, with Python blocks (tagged, or a repl block that is Python) set apart. */
export function readReplyCode(reply: string, options: ExtractOptions = {}): ReplyCode {
  const out: ReplyCode = { code: [], python: [] }
  for (const block of fencedBlocks(reply, options)) {
    if (block.code.trim() === '') continue
    if (PYTHON_TAGS.has(block.lang)) out.python.push(block.code)
    else if (RUNNABLE_TAGS.has(block.lang) || (options.untagged === true && block.lang === '')) {
      if (looksLikePython(block.code) && !parsesAsJavaScript(block.code)) out.python.push(block.code)
      else out.code.push(block.code)
    }
  }
  return out
}

function looksLikePython(code: string): boolean {
  return PYTHON_SIGNS.some((sign) => sign.test(code))
}

function parsesAsJavaScript(code: string): boolean {
  try {
    parse(code, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: true,
      allowHashBang: true,
    })
    return true
  } catch {
    return false
  }
}

const MAX_LISTED = 8

/** The one corrective message for a turn that wrote Python: what to write instead, for what it used. */
export function pythonCorrection(python: string[]): string {
  const code = python.join('\n')
  const used = EQUIVALENTS.filter((e) => e.seen.test(code)).slice(0, MAX_LISTED)
  const lines = used.map((e) => `- ${e.python}  ->  ${e.js}`)
  const list = lines.length ? `\nJavaScript for what that code used:\n${lines.join('\n')}\n` : '\n'
  return `That code is Python, but the REPL runs JavaScript, so it was not run (this turn is not counted as a code error). Write it again in a \`\`\`js block.${list}print(...) works as in Python; sub-calls are async: \`const a = await llm_query(prompt)\`; finish with FINAL(value).`
}
