// Arguments of host functions come from model-written code: each is checked with zod, and a bad
// one is an E_ARGUMENT naming the call and the field.

import { RlmError } from '@rlm/errors'
import type { z } from 'zod'

export function parseArgument<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value)
  if (r.success) return r.data
  const issue = r.error.issues[0]
  const where = issue?.path.length ? ` (${issue.path.join('.')})` : ''
  throw new RlmError('E_ARGUMENT', `${what}: bad argument${where}: ${issue?.message ?? 'invalid'}`)
}
