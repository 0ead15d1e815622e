// Result budgets of the host functions (config `limits`): model-written code may ask for anything,
// and the host answers within these budgets or with E_LIMIT saying what to ask for instead.

import { isRlmError, RlmError } from '@rlm/errors'
import type { RlmConfig } from './config.ts'

export type HostLimits = RlmConfig['limits']

export const fmt = (n: number): string => n.toLocaleString('en-US')

export function limitError(key: keyof HostLimits, max: number, message: string): RlmError {
  return new RlmError('E_LIMIT', message, { details: { limit: `limits.${key}`, max } })
}

/** Every host function's answer: at most maxHostResultChars characters of strings. */
export function checkResultSize(name: string, value: unknown, limits: HostLimits): void {
  const max = limits.maxHostResultChars
  if (resultChars(value, max) <= max) return
  throw limitError(
    'maxHostResultChars',
    max,
    `${name}() would return more than ${fmt(max)} characters (limits.maxHostResultChars); ask for less at a time: a smaller context.slice(start, end) or lines(from, to), fewer hits ({ limit }), or pass a { start, end } range to llm_query instead of its text.`,
  )
}

/** E_LIMIT from a context search past its maxResultChars, named for the engine's limit. */
export function relabelResultLimit(err: unknown, name: string, limits: HostLimits): unknown {
  if (!isRlmError(err) || err.code !== 'E_LIMIT' || err.details.limit !== 'maxResultChars') return err
  const max = limits.maxHostResultChars
  return limitError(
    'maxHostResultChars',
    max,
    `${name}: the hits hold more than ${fmt(max)} characters (limits.maxHostResultChars); ask for fewer ({ limit }), narrow the pattern, or page with { from: hits[hits.length - 1].end }.`,
  )
}

/**
 * Characters of the strings in a JSON-like value (keys too, and 8 per array item or object, so
 * a million empty items count), stopping as soon as the count passes `max`.
 */
export function resultChars(value: unknown, max: number): number {
  let total = 0
  const stack: unknown[] = [value]
  while (stack.length > 0 && total <= max) {
    const v = stack.pop()
    if (typeof v === 'string') total += v.length
    else if (Array.isArray(v)) {
      total += 8 * v.length
      if (total > max) break
      for (const x of v) stack.push(x)
    } else if (v !== null && typeof v === 'object') {
      total += 8
      for (const [k, x] of Object.entries(v)) {
        total += k.length
        stack.push(x)
      }
    }
  }
  return total
}
