// Reads the parsed flags of a command into the config layers and the output mode.

import type { CliConfigKey } from '../config/config-schema.ts'
import { type ResolvedConfig, resolveConfig } from '../config/resolve-config.ts'
import type { OutputMode } from './execute-run.ts'

const FLAG_KEYS: CliConfigKey[] = [
  'model',
  'subModel',
  'baseUrl',
  'maxDepth',
  'maxIterations',
  'concurrency',
  'budgetTokens',
  'budgetUsd',
  'timeout',
  'requestTimeout',
  'cache',
  'cacheDir',
]

export function configFromFlags(opts: Record<string, unknown>): ResolvedConfig {
  const flags: Partial<Record<CliConfigKey, unknown>> = {}
  for (const key of FLAG_KEYS) if (opts[key] !== undefined) flags[key] = opts[key]
  return resolveConfig({ flags, configPath: opts.config as string | undefined })
}

export function outputModeOf(opts: Record<string, unknown>): OutputMode {
  return opts.json ? 'json' : opts.events ? 'events' : 'text'
}
