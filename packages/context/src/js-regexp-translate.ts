// Rewrites a JavaScript RegExp (source and flags) into RE2 syntax with JavaScript's meaning where
// the two differ (`.`, `\s`, `[]`, `[^]`, identity escapes), and refuses what RE2 cannot run.
import { RlmError } from '@rlm/errors'
import { ContextErrorCode } from './context-errors.ts'

/** JavaScript's \s: WhiteSpace and LineTerminator code points (RE2's \s is only [\t\n\f\r ]). */
const JS_SPACE =
  '\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}'
/** JavaScript's `.` without the s flag: anything but a line terminator. */
const JS_DOT = '[^\\n\\r\\x{2028}\\x{2029}]'
const NOTHING = '[^\\x{0}-\\x{10FFFF}]'
const ANYTHING = '[\\x{0}-\\x{10FFFF}]'

export interface JsFlags {
  global: boolean
  ignoreCase: boolean
  multiline: boolean
  dotAll: boolean
  unicode: boolean
  sticky: boolean
}

export interface TranslatedRegExp {
  /** RE2 syntax; compile with the flags' ignoreCase, multiline and dotAll. */
  source: string
  flags: JsFlags
}

const ALTERNATIVE =
  'Match the wider text and pick the part with a capture group, or run the regex on a slice of the text (a plain string supports the full JavaScript syntax).'

function unsupported(what: string, source: string): RlmError {
  return new RlmError(
    ContextErrorCode.unsupported,
    `The linear-time regex engine does not support ${what}. ${ALTERNATIVE}`,
    { details: { pattern: source, feature: what } },
  )
}

function bad(message: string, source: string): RlmError {
  return new RlmError(ContextErrorCode.badPattern, `Invalid regular expression /${source}/: ${message}.`, {
    details: { pattern: source },
  })
}

export function parseFlags(flags: string, source: string): JsFlags {
  for (const f of flags) {
    if (f === 'd') throw unsupported('the d flag (match indices)', source)
    if (f === 'v') throw unsupported('the v flag (set notation); use the u flag', source)
    if (!'gimsuy'.includes(f) || flags.indexOf(f) !== flags.lastIndexOf(f))
      throw bad(`invalid flags "${flags}"`, source)
  }
  return {
    global: flags.includes('g'),
    ignoreCase: flags.includes('i'),
    multiline: flags.includes('m'),
    dotAll: flags.includes('s'),
    unicode: flags.includes('u'),
    sticky: flags.includes('y'),
  }
}

const hex = (cp: number): string => `\\x{${cp.toString(16).toUpperCase()}}`
const isHex = (s: string): boolean => /^[0-9a-fA-F]+$/.test(s)

/** An escape `\X...` at source[i] (i at the backslash): its RE2 text and the index after it. */
function translateEscape(
  src: string,
  i: number,
  inClass: boolean,
  f: JsFlags,
): { out: string; next: number } {
  const c = src[i + 1]
  if (c === undefined) throw bad('\\ at end of pattern', src)
  if ('dDwW'.includes(c)) return { out: `\\${c}`, next: i + 2 }
  if (c === 's') return { out: inClass ? JS_SPACE : `[${JS_SPACE}]`, next: i + 2 }
  if (c === 'S') return { out: inClass ? '\\S' : `[^${JS_SPACE}]`, next: i + 2 }
  if (c === 'b') return { out: inClass ? '\\x{8}' : '\\b', next: i + 2 }
  if (c === 'B') return { out: inClass ? 'B' : '\\B', next: i + 2 }
  if ('nrtf'.includes(c)) return { out: `\\${c}`, next: i + 2 }
  if (c === 'v') return { out: '\\x{B}', next: i + 2 }
  if (c === '0' && !/[0-9]/.test(src[i + 2] ?? '')) return { out: '\\x{0}', next: i + 2 }
  if (/[0-9]/.test(c)) {
    if (inClass && !f.unicode) throw unsupported('octal escapes in a character class', src)
    throw unsupported('backreferences (\\1, \\2, ...)', src)
  }
  if (c === 'k' && (f.unicode || src[i + 2] === '<')) throw unsupported('backreferences (\\k<name>)', src)
  if (c === 'c' && /[A-Za-z]/.test(src[i + 2] ?? '')) {
    return { out: hex((src.charCodeAt(i + 2) as number) % 32), next: i + 3 }
  }
  if (c === 'x' && isHex(src.slice(i + 2, i + 4)) && src.slice(i + 2, i + 4).length === 2) {
    return { out: hex(Number.parseInt(src.slice(i + 2, i + 4), 16)), next: i + 4 }
  }
  if (c === 'u') return unicodeEscape(src, i, f)
  if ((c === 'p' || c === 'P') && f.unicode) {
    const close = src.indexOf('}', i + 3)
    if (src[i + 2] !== '{' || close < 0) throw bad('invalid property name', src)
    const name = src
      .slice(i + 3, close)
      .replace(/^(Script|sc|Script_Extensions|scx|General_Category|gc)=/, '')
    return { out: `\\${c}{${name}}`, next: close + 1 }
  }
  // Identity escapes: a letter stands for itself (RE2 would read \a, \z, \Q ... as its own escapes).
  if (/[A-Za-z]/.test(c)) return { out: c, next: i + 2 }
  const cp = src.codePointAt(i + 1) as number
  const width = cp > 0xffff ? 2 : 1
  return { out: /[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/.test(c) ? `\\${c}` : hex(cp), next: i + 1 + width }
}

function unicodeEscape(src: string, i: number, f: JsFlags): { out: string; next: number } {
  if (src[i + 2] === '{' && f.unicode) {
    const close = src.indexOf('}', i + 3)
    const digits = src.slice(i + 3, close)
    if (close < 0 || !isHex(digits) || Number.parseInt(digits, 16) > 0x10ffff)
      throw bad('invalid Unicode escape', src)
    return { out: hex(Number.parseInt(digits, 16)), next: close + 1 }
  }
  const four = src.slice(i + 2, i + 6)
  if (four.length !== 4 || !isHex(four)) return { out: 'u', next: i + 2 }
  const unit = Number.parseInt(four, 16)
  // A surrogate pair written as two escapes is one character of the text.
  const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(src.slice(i + 6))
  if (unit >= 0xd800 && unit <= 0xdbff && low) {
    const cp = ((unit - 0xd800) << 10) + (Number.parseInt(low[1]!, 16) - 0xdc00) + 0x10000
    return { out: hex(cp), next: i + 12 }
  }
  if (unit >= 0xd800 && unit <= 0xdfff) throw unsupported('lone surrogates (\\uD800-\\uDFFF)', src)
  return { out: hex(unit), next: i + 6 }
}

/** A character class starting at src[i] ('['): its RE2 text and the index after its ']'. */
function charClass(src: string, i: number, f: JsFlags): { out: string; next: number } {
  let j = i + 1
  const negated = src[j] === '^'
  if (negated) j++
  if (src[j] === ']') return { out: negated ? ANYTHING : NOTHING, next: j + 1 }
  let out = negated ? '[^' : '['
  while (j < src.length && src[j] !== ']') {
    const c = src[j] as string
    if (c === '\\') {
      const e = translateEscape(src, j, true, f)
      out += e.out
      j = e.next
    } else {
      // '[' opens POSIX classes in RE2 ([[:alpha:]]); in JavaScript it is itself.
      out += c === '[' ? '\\[' : c
      j++
    }
  }
  if (j >= src.length) throw bad('missing /', src)
  return { out: `${out}]`, next: j + 1 }
}

/** A group opening at src[i] ('('): its RE2 text and the index after the opening. */
function groupOpen(src: string, i: number): { out: string; next: number } {
  if (src[i + 1] !== '?') return { out: '(', next: i + 1 }
  const rest = src.slice(i + 2, i + 4)
  if (rest.startsWith('=') || rest.startsWith('!') || rest === '<=' || rest === '<!') {
    throw unsupported('lookahead or lookbehind ((?=, (?!, (?<=, (?<!)', src)
  }
  if (rest.startsWith('<')) return { out: '(?P<', next: i + 3 }
  return { out: '(?', next: i + 2 }
}

/** JavaScript source and flags → RE2 source with the same meaning, or E_UNSUPPORTED / E_BAD_PATTERN. */
export function translateJsRegExp(source: string, flags: string): TranslatedRegExp {
  const f = parseFlags(flags, source)
  let out = ''
  let i = 0
  while (i < source.length) {
    const c = source[i] as string
    let piece: { out: string; next: number }
    if (c === '\\') piece = translateEscape(source, i, false, f)
    else if (c === '[') piece = charClass(source, i, f)
    else if (c === '(') piece = groupOpen(source, i)
    else if (c === '.') piece = { out: f.dotAll ? '.' : JS_DOT, next: i + 1 }
    else piece = { out: c, next: i + 1 }
    out += piece.out
    i = piece.next
  }
  return { source: out === '' ? '(?:)' : out, flags: f }
}
