// Maps the CLI's resolved config onto the engine's settings (limits, budgets, cache).

import type { RlmConfigInput } from '@rlm/engine'
import type { CliConfig } from '../config/config-schema.ts'

export function engineSettings(config: CliConfig): Omit<RlmConfigInput, 'model'> {
  const budget: NonNullable<RlmConfigInput['budget']> = {}
  if (config.budgetTokens !== undefined) budget.maxTokens = config.budgetTokens
  if (config.budgetUsd !== undefined) budget.maxCostUsd = config.budgetUsd
  if (config.timeout !== undefined) budget.maxWallTimeMs = config.timeout
  return {
    maxDepth: config.maxDepth,
    maxIterations: config.maxIterations,
    concurrency: config.concurrency,
    budget,
    cache: config.cache ? { dir: config.cacheDir } : false,
    // The CLI prunes its own trace directory (trace-path.ts), never the directory of a --trace file.
    traceRetentionDays: 0,
  }
}
