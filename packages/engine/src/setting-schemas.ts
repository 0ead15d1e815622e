// The engine settings a front end also takes from its own users (the CLI's flags, RLM_* variables
// and config files): one zod schema each, bounds, default and messages included, so front ends
// build on these instead of copies. zod only, so reading a config does not load the engine; a front
// end imports them from `@rlm/engine/setting-schemas`.

import { z } from 'zod'

/** Log levels, quietest first: a level shows its own lines and every level before it. */
export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug', 'trace'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export const positiveInt = (what: string) =>
  z.int(`expected a whole number of ${what}`).positive(`expected at least 1 ${what}`)

/** Each schema as `rlmConfigSchema` uses it; the budget ones are the keys of its `budget`. */
export const settingSchemas = {
  maxDepth: z
    .int('expected a whole number of levels')
    .min(1, 'expected 1 (no child RLMs) or more')
    .max(50, 'expected at most 50 levels')
    .default(2),
  maxIterations: positiveInt('iterations').max(10_000, 'expected at most 10000 iterations').default(30),
  concurrency: positiveInt('concurrent calls')
    .max(10_000, 'expected at most 10000 concurrent calls')
    .default(16),
  /** Trace files rlm named in the trace's directory are deleted after this many days (0 keeps all). */
  traceRetentionDays: z
    .number('expected a number of days')
    .min(0, 'expected 0 (keep all) or more days')
    .default(30),
  logLevel: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }),
  /** budget.maxTokens */
  maxTokens: positiveInt('tokens'),
  /** budget.maxCostUsd */
  maxCostUsd: z.number('expected a cost in USD, e.g. 0.50').positive('expected a cost in USD above 0'),
  /** budget.maxWallTimeMs */
  maxWallTimeMs: positiveInt('milliseconds'),
}
