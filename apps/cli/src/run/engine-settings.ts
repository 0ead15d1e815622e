// Maps the CLI's resolved config onto the engine's settings (limits, budgets, cache, logging).

import type { RlmConfigInput } from '@rlm/engine'
import { openCliLogger } from '../cli-logger.ts'
import type { CliConfig } from '../config/config-schema.ts'

export async function engineSettings(config: CliConfig): Promise<Omit<RlmConfigInput, 'model'>> {
  const budget: NonNullable<RlmConfigInput['budget']> = {}
  if (config.budgetTokens !== undefined) budget.maxTokens = config.budgetTokens
  if (config.budgetUsd !== undefined) budget.maxCostUsd = config.budgetUsd
  if (config.timeout !== undefined) budget.maxWallTimeMs = config.timeout
  const logger = await openCliLogger(config)
  return {
    maxDepth: config.maxDepth,
    maxIterations: config.maxIterations,
    concurrency: config.concurrency,
    budget,
    cache: config.cache ? { dir: config.cacheDir } : false,
    // The CLI prunes its own trace directory (trace-path.ts), never the directory of a --trace file.
    traceRetentionDays: 0,
    // executeRun's default is 'silent': with a logger, the level it was opened at.
    ...(logger ? { logger, logLevel: config.logLevel ?? 'info' } : { logLevel: config.logLevel ?? 'silent' }),
  }
}
