// Turns a user's (often a model's) pattern into a linear-time matcher, or explains why not.
import { RlmError } from '@rlm/errors'
import { RE2JS } from 're2js'
import { ContextErrorCode } from './context-errors.ts'
import { type FoldedNeedles, foldedNeedles } from './folded-needles.ts'
import { requiredLiterals } from './required-literals.ts'

export type CompiledPattern =
  | { kind: 'bytes'; needle: Uint8Array; source: string }
  | { kind: 'folded-literal'; regexp: RegExp; maxBytes: number; source: string }
  | {
      kind: 're2'
      re: RE2JS
      /** No match can span a newline or depend on the text's edges. */
      lineLocal: boolean
      /** For a line-local pattern: every match contains one of these (see required-literals.ts). */
      needles: Uint8Array[] | null
      /** With ignoreCase: the whole required literals, found in any case (see folded-needles.ts). */
      folded: FoldedNeedles | null
      source: string
    }

export interface PatternOptions {
  literal?: boolean
  ignoreCase?: boolean
  multiline?: boolean
  dotAll?: boolean
}

// Inst opcodes and empty-width flags of re2js's compiled program (stable since re2j).
const OP_EMPTY_WIDTH = 4
const OP_RUNE = 8
const OP_RUNE1 = 9
const OP_RUNE_ANY = 10
const EMPTY_TEXT_EDGES = 4 | 8

/** Throws E_BAD_PATTERN unless `pattern` is a string or a RegExp. */
export function checkPattern(pattern: unknown): asserts pattern is string | RegExp {
  if (typeof pattern !== 'string' && !(pattern instanceof RegExp)) {
    throw new RlmError(ContextErrorCode.badPattern, 'search(pattern): pattern must be a string or a RegExp.')
  }
}

export function compilePattern(pattern: string | RegExp, options: PatternOptions): CompiledPattern {
  checkPattern(pattern)
  if (options.literal) {
    const text = typeof pattern === 'string' ? pattern : pattern.source
    if (text.length === 0)
      throw new RlmError(ContextErrorCode.badPattern, 'search(): a literal pattern must not be empty.')
    if (!options.ignoreCase) return { kind: 'bytes', needle: Buffer.from(text, 'utf8'), source: text }
    // An escaped literal has no quantifier, so V8's engine is linear on it and much faster than a DFA.
    const escaped = text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')
    return {
      kind: 'folded-literal',
      regexp: new RegExp(escaped, 'giu'),
      maxBytes: Buffer.byteLength(text) * 3 + 8,
      source: text,
    }
  }
  let source: string
  let ignoreCase = options.ignoreCase ?? false
  let multiline = options.multiline ?? true
  let dotAll = options.dotAll ?? false
  if (pattern instanceof RegExp) {
    source = RE2JS.translateRegExp(pattern.source)
    ignoreCase ||= pattern.ignoreCase
    multiline = options.multiline ?? pattern.multiline
    dotAll ||= pattern.dotAll
  } else {
    source = pattern
  }
  let flags = 0
  if (ignoreCase) flags |= RE2JS.CASE_INSENSITIVE
  if (multiline) flags |= RE2JS.MULTILINE
  if (dotAll) flags |= RE2JS.DOTALL
  let re: RE2JS
  try {
    re = RE2JS.compile(source, flags)
  } catch (cause) {
    rejectUnsupported(source, cause)
    throw new RlmError(
      ContextErrorCode.badPattern,
      `search(): ${(cause as Error).message}. Patterns use RE2 syntax (like JavaScript regexps without lookaround or backreferences); pass { literal: true } to match the text as is.`,
      { cause, details: { pattern: source } },
    )
  }
  const lineLocal = isLineLocal(re)
  let needles: Uint8Array[] | null = null
  let folded: FoldedNeedles | null = null
  if (lineLocal && !ignoreCase) needles = requiredLiterals(re)
  else if (lineLocal) {
    // re2js keeps no literals of a case-folded pattern: take them from the case-sensitive parse,
    // whole (found in any case) and as the parts no folding changes (found by indexOf).
    const caseSensitive = RE2JS.compile(source, flags & ~RE2JS.CASE_INSENSITIVE)
    needles = requiredLiterals(caseSensitive, true)
    folded = foldedNeedles(requiredLiterals(caseSensitive))
  }
  return { kind: 're2', re, lineLocal, needles, folded, source }
}

function rejectUnsupported(source: string, cause: unknown): void {
  const why = /\(\?<?[=!]/.test(source)
    ? 'lookahead/lookbehind ((?=, (?!, (?<=, (?<!)'
    : /\\[1-9]|\\k</.test(source)
      ? 'backreferences (\\1, \\k<name>)'
      : null
  if (why === null) return
  throw new RlmError(
    ContextErrorCode.badPattern,
    `search(): the pattern uses ${why}, which the linear-time RE2 engine does not support. Match the wider text instead (e.g. "foo\\s+bar" rather than "foo(?=\\s+bar)"), use a capture group, or search for each part and filter the hits in code.`,
    { cause, details: { pattern: source } },
  )
}

/** True when no match can contain a newline or depend on text edges, so lines can be searched apart. */
function isLineLocal(re: RE2JS): boolean {
  // re2js has no public API for its compiled program: read the private field, checking its shape
  // (a newer re2js without it gives false, i.e. whole-document search, never a wrong hit).
  const prog = (re as unknown as { re2Input?: { prog?: ProgLike } }).re2Input?.prog
  if (!prog || typeof prog.numInst !== 'function') return false
  for (let pc = 0; pc < prog.numInst(); pc++) {
    const inst = prog.getInst(pc)
    if (inst.op === OP_RUNE_ANY) return false
    if (inst.op === OP_EMPTY_WIDTH && (inst.arg & EMPTY_TEXT_EDGES) !== 0) return false
    if (inst.op === OP_RUNE || inst.op === OP_RUNE1) {
      const r = inst.runes
      if (r.length === 1 && r[0] === 10) return false
      for (let j = 0; j + 1 < r.length; j += 2)
        if ((r[j] as number) <= 10 && (r[j + 1] as number) >= 10) return false
    }
  }
  return true
}

interface ProgLike {
  numInst(): number
  getInst(pc: number): { op: number; arg: number; runes: ArrayLike<number> }
}
