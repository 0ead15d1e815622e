// The shapes llm_query, llm_query_batched, rlm_query and rlm_query_batched accept, turned into one
// form: { prompt, text?, maxOutputTokens? }. Models write every one of them; all four functions
// take the same shapes, and anything else is refused with a message naming the accepted ones.

import { RlmError } from '@rlm/errors'
import { z } from 'zod'
import { type ContextRange, checkRange, type LazyText, lazyRange } from './context-range.ts'
import type { ContextSource } from './context-source.ts'
import type { SubPrompt } from './sub-calls.ts'

export type SubCallFn = 'llm_query' | 'llm_query_batched' | 'rlm_query' | 'rlm_query_batched'

/** What a call's text refers to: a string, a range of this node's context, or the whole of it. */
export type TextRef =
  | { kind: 'string'; text: string }
  | { kind: 'range'; range: ContextRange }
  | { kind: 'whole' }

export interface CallItem {
  /** The instruction (llm_query) or the child's query (rlm_query). */
  prompt: string
  text: TextRef | undefined
  maxOutputTokens?: number | undefined
}

/** Options that apply to every item of a call (the second argument as an object). */
export interface CallOptions {
  maxOutputTokens?: number | undefined
  temperature?: number | undefined
}

/** The guest prelude sends the `context` object itself as this marker, never as its text. */
const wholeMarker = z.object({ __rlm: z.literal('context') }).strict()
const rangeLike = z.object({ start: z.unknown(), end: z.unknown() }).loose()
const maxOutputTokens = z.int().positive()

const itemObject = z
  .object({
    prompt: z.string().optional(),
    query: z.string().optional(),
    context: z.unknown().optional(),
    text: z.unknown().optional(),
    range: z.unknown().optional(),
    maxOutputTokens: maxOutputTokens.optional(),
  })
  .strict()

const optionsObject = z
  .object({
    maxOutputTokens: maxOutputTokens.optional(),
    temperature: z.number().min(0).max(2).optional(),
    context: z.unknown().optional(),
    text: z.unknown().optional(),
    range: z.unknown().optional(),
  })
  .strict()

const ITEM_SHAPE = '{ prompt, context | text | range, maxOutputTokens? } (query works for prompt)'

export const ACCEPTED_SHAPES: Record<SubCallFn, string> = {
  llm_query: `llm_query(prompt), llm_query(prompt, text), llm_query(prompt, { range | context | text, maxOutputTokens }) or llm_query(${ITEM_SHAPE})`,
  rlm_query: `rlm_query(query), rlm_query(query, text or a { start, end } range) or rlm_query(${ITEM_SHAPE})`,
  llm_query_batched: `llm_query_batched(prompts, options?) or llm_query_batched(prompts, texts), where prompts is an array of strings or ${ITEM_SHAPE} objects`,
  rlm_query_batched: `rlm_query_batched(queries, texts?), where queries is an array of strings or ${ITEM_SHAPE} objects`,
}

const BATCHED: Record<'llm_query' | 'rlm_query', SubCallFn> = {
  llm_query: 'llm_query_batched',
  rlm_query: 'rlm_query_batched',
}

function argumentError(what: string, problem: string, fn: SubCallFn): RlmError {
  return new RlmError('E_ARGUMENT', `${what}: ${problem}. Accepted: ${ACCEPTED_SHAPES[fn]}.`)
}

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'object') return `an object with keys ${Object.keys(v).join(', ') || '(none)'}`
  return typeof v
}

/**
 * A guest value given as a call's text: `context` and `text` take a string, the context itself
 * or a { start, end } range of it; `range` only a range (a string there is a mistake, not text).
 */
function toTextRef(value: unknown, length: number, what: string, fn: SubCallFn, key: string): TextRef {
  if (key === 'range') return { kind: 'range', range: checkRange(value, length, what) }
  if (typeof value === 'string') return { kind: 'string', text: value }
  if (wholeMarker.safeParse(value).success) return { kind: 'whole' }
  if (!rangeLike.safeParse(value).success) {
    throw argumentError(
      what,
      `${key} must be a string, \`context\` or a { start, end } range, got ${describe(value)}`,
      fn,
    )
  }
  return { kind: 'range', range: checkRange(value, length, what) }
}

/** One object item: exactly one of prompt/query, at most one of context/text/range. */
function fromObject(value: unknown, length: number, what: string, fn: SubCallFn): CallItem {
  if (wholeMarker.safeParse(value).success) {
    const example = fn.startsWith('llm')
      ? 'llm_query("Summarize:", context)'
      : 'rlm_query("Which services failed?", context)'
    throw argumentError(
      what,
      `the prompt is \`context\` itself; give an instruction and pass the context as its text, e.g. ${example}`,
      fn,
    )
  }
  const parsed = itemObject.safeParse(value)
  const problem = (p: string) => argumentError(what, p, fn)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    if (issue?.code === 'unrecognized_keys')
      throw problem(`unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}`)
    throw problem(`${issue?.path.join('.') || 'item'}: ${issue?.message ?? 'invalid'}`)
  }
  const o = parsed.data
  if (o.prompt !== undefined && o.query !== undefined) throw problem('give prompt or query, not both')
  const prompt = o.prompt ?? o.query
  if (prompt === undefined) {
    throw argumentError(
      what,
      `each prompt must be a string or { prompt: string, ... }, got ${describe(value)} without prompt`,
      fn,
    )
  }
  const given = (['context', 'text', 'range'] as const).filter((k) => o[k] !== undefined)
  if (given.length > 1) throw problem(`give one of context, text or range, not ${given.join(' and ')}`)
  const key = given[0]
  return {
    prompt,
    text: key === undefined ? undefined : toTextRef(o[key], length, what, fn, key),
    maxOutputTokens: o.maxOutputTokens,
  }
}

/** One batch item: a string, or an object item. */
function fromItem(value: unknown, length: number, what: string, fn: SubCallFn): CallItem {
  if (typeof value === 'string') return { prompt: value, text: undefined }
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return fromObject(value, length, what, fn)
  throw argumentError(
    what,
    `each prompt must be a string or { prompt: string, ... }, got ${describe(value)}`,
    fn,
  )
}

/** The second argument of a single call: options (llm_query), a text, or a range. */
function secondArgument(
  item: CallItem,
  second: unknown,
  length: number,
  fn: 'llm_query' | 'rlm_query',
): { item: CallItem; options: CallOptions } {
  if (second === undefined || second === null) return { item, options: {} }
  if (typeof second === 'string' || wholeMarker.safeParse(second).success) {
    return { item: { ...item, text: toTextRef(second, length, fn, fn, 'text') }, options: {} }
  }
  if (Array.isArray(second)) throw argumentError(fn, 'the second argument is an array', fn)
  if (typeof second !== 'object') throw argumentError(fn, `the second argument is ${describe(second)}`, fn)
  const asRange = rangeLike.safeParse(second).success && !('range' in second) && !('context' in second)
  if (asRange) return { item: { ...item, text: toTextRef(second, length, fn, fn, 'range') }, options: {} }
  const parsed = optionsObject.safeParse(second)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const problem =
      issue?.code === 'unrecognized_keys'
        ? `unknown option ${issue.keys.map((k) => `"${k}"`).join(', ')}`
        : `options.${issue?.path.join('.')}: ${issue?.message ?? 'invalid'}`
    throw argumentError(fn, problem, fn)
  }
  const { maxOutputTokens: max, temperature, ...texts } = parsed.data
  const keys = (['context', 'text', 'range'] as const).filter((k) => texts[k] !== undefined)
  if (keys.length > 1)
    throw argumentError(fn, `give one of context, text or range, not ${keys.join(' and ')}`, fn)
  if (keys.length && item.text) throw argumentError(fn, 'the text is given twice', fn)
  const key = keys[0]
  const text = key === undefined ? item.text : toTextRef(texts[key], length, fn, fn, key)
  return {
    item: { ...item, text, maxOutputTokens: item.maxOutputTokens ?? max },
    options: { maxOutputTokens: max, temperature },
  }
}

/** llm_query(...) / rlm_query(...): one call. An array points to the batched form. */
export function singleCall(
  fn: 'llm_query' | 'rlm_query',
  first: unknown,
  second: unknown,
  length: number,
): { item: CallItem; options: CallOptions } {
  if (Array.isArray(first)) {
    throw new RlmError(
      'E_ARGUMENT',
      `${fn} takes one ${fn === 'llm_query' ? 'prompt' : 'query'}, not an array: use ${BATCHED[fn]}(${fn === 'llm_query' ? 'prompts' : 'queries'}) for several (it returns their answers in order).`,
    )
  }
  if (typeof first === 'string') return secondArgument({ prompt: first, text: undefined }, second, length, fn)
  if (first !== null && typeof first === 'object') {
    const item = fromObject(first, length, fn, fn)
    return secondArgument(item, second, length, fn)
  }
  throw argumentError(fn, `the first argument is ${describe(first)}`, fn)
}

/** One slot of a batch: its item, or the error that slot reports as its marker. */
export type BatchSlot = CallItem | RlmError

/** llm_query_batched(...) / rlm_query_batched(...): a bad item fails only its own slot. */
export function batchCall(
  fn: 'llm_query_batched' | 'rlm_query_batched',
  first: unknown,
  second: unknown,
  length: number,
): { slots: BatchSlot[]; options: CallOptions } {
  if (!Array.isArray(first))
    throw argumentError(fn, `the first argument is ${describe(first)}, not an array`, fn)
  let texts: unknown[] | undefined
  let options: CallOptions = {}
  if (Array.isArray(second)) texts = second
  else if (second !== undefined && second !== null) {
    const parsed = optionsObject.pick({ maxOutputTokens: true, temperature: true }).strict().safeParse(second)
    if (!parsed.success) {
      throw argumentError(
        fn,
        `the second argument must be an array of texts or { maxOutputTokens, temperature }, got ${describe(second)}`,
        fn,
      )
    }
    options = parsed.data
  }
  const slots = first.map((value, i): BatchSlot => {
    const what = `${fn} (item ${i})`
    try {
      const item = fromItem(value, length, what, fn)
      const text = texts?.[i]
      if (text === undefined || text === null) return item
      if (item.text) throw argumentError(what, 'the text is given in the item and in the texts array', fn)
      return { ...item, text: toTextRef(text, length, what, fn, 'text') }
    } catch (e) {
      if (e instanceof RlmError) return e
      throw e
    }
  })
  return { slots, options }
}

/**
 * The sub-model's user message for a call item: the prompt as it is, or `prompt + '\n\n' + text`
 * where the text is a string, or a range of the context (or the whole of it) read only when the
 * call starts. `onRead` hears of reads.
 */
export function promptOf(
  ctx: ContextSource,
  item: CallItem,
  onRead: (range: ContextRange) => void,
): SubPrompt {
  const t = item.text
  if (t === undefined) return item.prompt
  if (t.kind === 'string') return `${item.prompt}\n\n${t.text}`
  const range = t.kind === 'range' ? t.range : { start: 0, end: ctx.length }
  return { instruction: item.prompt, text: lazyRange(ctx, range, onRead) }
}

/**
 * The text a child RLM gets: a string as it is, a range read when the child starts; null for
 * this node's whole context.
 */
export function childTextOf(
  ctx: ContextSource,
  item: CallItem,
  onRead: (range: ContextRange) => void,
): string | LazyText | null {
  const t = item.text
  if (t === undefined || t.kind === 'whole') return null
  if (t.kind === 'string') return t.text
  return lazyRange(ctx, t.range, onRead)
}
