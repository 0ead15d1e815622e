// Context ranges in sub-call prompts: the guest names { start, end } and the host slices the text
// itself, so big chunks never pass through the sandbox. Offsets are those of context.slice and chunks().

import { RlmError } from '@rlm/errors'
import { z } from 'zod'
import type { ContextSource } from './context-source.ts'

export interface ContextRange {
  start: number
  end: number
}

/** A sub-call prompt as the guest hands it: plain text, or an instruction plus a context range. */
const rangeShape = z.object({ start: z.unknown(), end: z.unknown() }).loose()
const promptItem = z.union([
  z.string(),
  z.object({ prompt: z.string(), range: z.unknown().optional() }).loose(),
])

/** Checks a guest range: integers with 0 <= start <= end <= the context's length. */
export function checkRange(value: unknown, length: number, what: string): ContextRange {
  const shape = rangeShape.safeParse(value)
  if (!shape.success) {
    throw new RlmError(
      'E_ARGUMENT',
      `${what}: range must be an object { start, end } (a chunk from chunks() works), got ${value === null ? 'null' : typeof value}.`,
    )
  }
  const { start, end } = shape.data
  for (const [name, v] of [
    ['start', start],
    ['end', end],
  ] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new RlmError(
        'E_ARGUMENT',
        `${what}: range.${name} must be an integer character offset, got ${v === undefined ? 'undefined' : JSON.stringify(v)}.`,
      )
    }
  }
  const a = start as number
  const b = end as number
  if (a < 0 || a > b || b > length) {
    throw new RlmError(
      'E_ARGUMENT',
      `${what}: range { start: ${a}, end: ${b} } is not inside the context: need 0 <= start <= end <= ${length} (context.length).`,
      { details: { start: a, end: b, length } },
    )
  }
  return { start: a, end: b }
}

/**
 * Turns a guest prompt item into the sub-model's user message: a string as it is, or
 * `prompt + '\n\n' + context.slice(start, end)`. `onRead` is told of every range read.
 */
export function resolvePrompt(
  ctx: ContextSource,
  item: unknown,
  what: string,
  onRead: (range: ContextRange) => void,
): string {
  const r = promptItem.safeParse(item)
  if (!r.success) {
    throw new RlmError(
      'E_ARGUMENT',
      `${what}: each prompt must be a string or { prompt: string, range: { start, end } }, got ${item === null ? 'null' : typeof item}.`,
    )
  }
  const p = r.data
  if (typeof p === 'string') return p
  if (p.range === undefined) return p.prompt
  return withRange(ctx, p.prompt, checkRange(p.range, ctx.length, what), onRead)
}

export function withRange(
  ctx: ContextSource,
  prompt: string,
  range: ContextRange,
  onRead: (range: ContextRange) => void,
): string {
  onRead(range)
  return `${prompt}\n\n${ctx.slice(range.start, range.end)}`
}

/** The text a child RLM gets: a string as it is, a range sliced from this node's context. */
export function resolveChildText(
  ctx: ContextSource,
  text: unknown,
  what: string,
  onRead: (range: ContextRange) => void,
): string | null {
  if (text === null || text === undefined) return null
  if (typeof text === 'string') return text
  const range = checkRange(text, ctx.length, what)
  onRead(range)
  return ctx.slice(range.start, range.end)
}
