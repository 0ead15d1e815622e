// One line of the results file: how one method did on one task. Validated with zod when read
// back, because a results file outlives the process that wrote it.
import { z } from 'zod'
import { SUITE_NAMES } from './task.ts'

export const METHODS = ['rlm', 'direct'] as const
export type Method = (typeof METHODS)[number]

export const taskResultSchema = z.object({
  taskId: z.string(),
  suite: z.enum(SUITE_NAMES),
  size: z.number().int().positive(),
  seed: z.number().int(),
  index: z.number().int().nonnegative(),
  method: z.enum(METHODS),
  /** Root model id ('offline:strategy' for the mechanics check). */
  model: z.string(),
  subModel: z.string(),
  offline: z.boolean(),
  query: z.string(),
  /** The expected answer. */
  answer: z.string(),
  prediction: z.string(),
  score: z.union([z.literal(0), z.literal(1)]),
  status: z.enum(['final', 'budget_exhausted', 'error']),
  budget: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** Direct baseline only: the context was cut to fit the model's window. */
  truncated: z.boolean().optional(),
  /** Estimated tokens of the task's full context. */
  contextTokens: z.number().int().nonnegative(),
  inputTokens: z.number().nonnegative(),
  outputTokens: z.number().nonnegative(),
  costUsd: z.number().nonnegative(),
  /** Calls whose price the provider did not know (not in costUsd). */
  unpricedCalls: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
  subCalls: z.number().int().nonnegative(),
  iterations: z.number().int().nonnegative(),
  meta: z.record(z.string(), z.union([z.string(), z.number()])),
  finishedAt: z.string(),
})

export type TaskResult = z.infer<typeof taskResultSchema>

/** Identity of a result for resuming: the same task, method and models. */
export function resultKey(r: Pick<TaskResult, 'method' | 'model' | 'subModel' | 'taskId'>): string {
  return `${r.method}|${r.model}|${r.subModel}|${r.taskId}`
}
