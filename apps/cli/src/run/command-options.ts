// Reads the parsed flags of a command into the config layers and the output mode.

import type { CliConfigKey } from '../config/config-schema.ts'
import { type RefusedSetting, refusalWarning } from '../config/project-trust.ts'
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
  'logLevel',
  'logFile',
]

export function configFromFlags(opts: Record<string, unknown>): ResolvedConfig {
  const flags: Partial<Record<CliConfigKey, unknown>> = {}
  for (const key of FLAG_KEYS) if (opts[key] !== undefined) flags[key] = opts[key]
  const resolved = resolveConfig({
    flags,
    configPath: opts.config as string | undefined,
    trustConfig: Boolean(opts.trustConfig),
  })
  warnRefused(resolved.refused)
  return resolved
}

/** Names every setting the trust rule left out, on stderr (even with --quiet: it changes the run). */
export function warnRefused(refused: readonly RefusedSetting[]): void {
  for (const r of refused) process.stderr.write(`${refusalWarning(r)}\n`)
}

export function outputModeOf(opts: Record<string, unknown>): OutputMode {
  return opts.json ? 'json' : opts.events ? 'events' : 'text'
}
