// Context ranges in sub-call prompts: the guest names { start, end } and the host slices the text
// itself, so big chunks never pass through the sandbox. Offsets are those of context.slice and chunks().

import { RlmError } from '@rlm/errors'
import { z } from 'zod'
import type { ContextSource } from './context-source.ts'

export interface ContextRange {
  start: number
  end: number
}

const rangeShape = z.object({ start: z.unknown(), end: z.unknown() }).loose()

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

/** Text of a context range read only when it is needed, so a queued call holds no copy of it. */
export interface LazyText {
  readonly chars: number
  read(): string
}

/** The range's text as a LazyText; `onRead` hears of the read when it happens. */
export function lazyRange(
  ctx: ContextSource,
  range: ContextRange,
  onRead: (range: ContextRange) => void,
): LazyText {
  return {
    chars: range.end - range.start,
    read: () => {
      onRead(range)
      return ctx.slice(range.start, range.end)
    },
  }
}
