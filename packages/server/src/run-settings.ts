// The run settings a client may choose (depth, iterations, concurrency, budgets), validated with
// zod and held to the server's caps: a cap is both the default and the most a client may ask for.
// Everything else of the engine's config (models, traces, cache, tools, URLs) is the server's alone.

import type { RlmConfigInput } from '@rlm/engine'
import { z } from 'zod'
import { ApiError } from './api-error.ts'
import { snakeKeys } from './body-parsing.ts'

/** Server-side caps on every run; each is also the value a run gets when the client names none. */
export interface RunCaps {
  maxDepth?: number
  maxIterations?: number
  concurrency?: number
  /** budget.maxTokens of a run. */
  maxTokens?: number
  /** budget.maxCostUsd of a run (needs priced models). */
  maxCostUsd?: number
  /** budget.maxWallTimeMs of a run. */
  maxWallTimeMs?: number
  /** budget.maxSubCalls of a run. */
  maxSubCalls?: number
}

export const runCapsSchema = z
  .object({
    maxDepth: z.int().min(1).max(50).optional(),
    maxIterations: z.int().positive().max(10_000).optional(),
    concurrency: z.int().positive().max(10_000).optional(),
    maxTokens: z.int().positive().optional(),
    maxCostUsd: z.number().positive().optional(),
    maxWallTimeMs: z.int().positive().optional(),
    maxSubCalls: z.int().positive().optional(),
  })
  .strict()

/** The `rlm serve` flag that sets each cap, named in over-cap errors. */
const CAP_FLAGS: Record<keyof RunCaps, string | undefined> = {
  maxDepth: '--max-depth',
  maxIterations: '--max-iterations',
  concurrency: '--concurrency',
  maxTokens: '--budget-tokens',
  maxCostUsd: '--budget-usd',
  maxWallTimeMs: '--timeout',
  maxSubCalls: undefined,
}

const whole = (what: string) =>
  z.int(`expected a whole number of ${what}`).positive(`expected at least 1 ${what}`)

const budgetSchema = z.preprocess(
  snakeKeys,
  z
    .object({
      max_tokens: whole('tokens').optional(),
      max_cost_usd: z.number('expected a cost in USD').positive('expected a cost above 0').optional(),
      max_wall_time_ms: whole('milliseconds').optional(),
      max_sub_calls: whole('sub-calls').optional(),
    })
    .strict(),
)

/** The settings fields shared by the runs API body and the chat completions `rlm` extension. */
export const runSettingsShape = {
  max_depth: z.int('expected a whole number of levels').min(1).max(50, 'at most 50 levels').optional(),
  max_iterations: whole('iterations').max(10_000).optional(),
  concurrency: whole('concurrent calls').max(10_000).optional(),
  budget: budgetSchema.optional(),
}

export type RunSettingsRequest = {
  max_depth?: number | undefined
  max_iterations?: number | undefined
  concurrency?: number | undefined
  budget?: z.output<typeof budgetSchema> | undefined
}

type Settled = Pick<RlmConfigInput, 'maxDepth' | 'maxIterations' | 'concurrency'> & {
  budget: NonNullable<RlmConfigInput['budget']>
}

/**
 * The engine settings of one run: what the client asked for, within the caps, defaulting to them.
 * `prefix` names where the fields sit in the body (e.g. "rlm.") for the error's `param`.
 */
export function settleRunSettings(request: RunSettingsRequest, caps: RunCaps, prefix = ''): Settled {
  const pick = (field: string, cap: keyof RunCaps, asked: number | undefined): number | undefined => {
    const limit = caps[cap]
    if (asked === undefined) return limit
    if (limit !== undefined && asked > limit) {
      const flag = CAP_FLAGS[cap]
      throw new ApiError(
        400,
        'E_CONFIG',
        `${prefix}${field}: ${asked} is over this server's cap of ${limit} (caps.${cap}${flag ? `, rlm serve ${flag}` : ''}); ask for ${limit} or less, or leave it out to get ${limit}.`,
        { param: `${prefix}${field}` },
      )
    }
    return asked
  }
  const b = request.budget ?? {}
  const budget: Settled['budget'] = {}
  const settled: Settled = { budget }
  const put = <K extends string>(
    into: Partial<Record<K, number>>,
    key: K,
    value: number | undefined,
  ): void => {
    if (value !== undefined) into[key] = value
  }
  put(budget, 'maxTokens', pick('budget.max_tokens', 'maxTokens', b.max_tokens))
  put(budget, 'maxCostUsd', pick('budget.max_cost_usd', 'maxCostUsd', b.max_cost_usd))
  put(budget, 'maxWallTimeMs', pick('budget.max_wall_time_ms', 'maxWallTimeMs', b.max_wall_time_ms))
  put(budget, 'maxSubCalls', pick('budget.max_sub_calls', 'maxSubCalls', b.max_sub_calls))
  put(settled, 'maxDepth', pick('max_depth', 'maxDepth', request.max_depth))
  put(settled, 'maxIterations', pick('max_iterations', 'maxIterations', request.max_iterations))
  put(settled, 'concurrency', pick('concurrency', 'concurrency', request.concurrency))
  return settled
}
