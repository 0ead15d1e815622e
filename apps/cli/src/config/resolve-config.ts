// Layers the settings: defaults < rlm.config.json (or --config) < RLM_* variables < flags, validates
// the result with the one schema, and remembers where every value came from (for `rlm config` and
// for error messages that name the flag, variable or file to fix).

import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { z } from 'zod'
import { usageError } from '../usage-error.ts'
import { type CliConfig, type CliConfigKey, cliConfigSchema, ENV_NAMES, FLAG_NAMES } from './config-schema.ts'

export type ConfigSource = 'default' | 'file' | 'env' | 'flag'

export interface ResolvedConfig {
  config: CliConfig
  sources: Partial<Record<CliConfigKey, ConfigSource>>
  /** The config file read, if any. */
  file: string | undefined
}

export interface ConfigRequest {
  /** Flag values by config key (undefined = not given). */
  flags?: Partial<Record<CliConfigKey, unknown>>
  /** --config: must exist when given. */
  configPath?: string | undefined
  cwd?: string
  env?: NodeJS.ProcessEnv
}

export const DEFAULT_CONFIG_FILE = 'rlm.config.json'

function readConfigFile(path: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (cause) {
    throw usageError(
      `Cannot read the config file ${path} (${(cause as Error).message}); pass an existing file to --config.`,
    )
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (cause) {
    throw usageError(
      `The config file ${path} is not valid JSON (${(cause as Error).message}); fix it or remove it.`,
    )
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw usageError(
      `The config file ${path} must hold a JSON object such as {"model": "openai:gpt-4o-mini"}.`,
    )
  }
  const { $schema: _ignored, ...rest } = data as Record<string, unknown>
  return rest
}

export function resolveConfig(request: ConfigRequest = {}): ResolvedConfig {
  const cwd = request.cwd ?? process.cwd()
  const env = request.env ?? process.env
  const sources: ResolvedConfig['sources'] = {}
  const merged: Record<string, unknown> = {}
  const put = (values: Record<string, unknown>, source: ConfigSource): void => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) continue
      merged[key] = value
      sources[key as CliConfigKey] = source
    }
  }

  let file: string | undefined
  if (request.configPath !== undefined) file = resolve(cwd, request.configPath)
  else if (existsSync(resolve(cwd, DEFAULT_CONFIG_FILE))) file = resolve(cwd, DEFAULT_CONFIG_FILE)
  if (file) put(readConfigFile(file), 'file')

  const fromEnv: Record<string, unknown> = {}
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const value = env[name]
    if (value !== undefined && value !== '') fromEnv[key] = value
  }
  put(fromEnv, 'env')
  const flags = { ...request.flags }
  // A cache directory on the command line means "use the cache", unless --no-cache says otherwise.
  if (flags.cacheDir !== undefined && flags.cache === undefined) flags.cache = true
  put(flags, 'flag')

  const parsed = cliConfigSchema.safeParse(merged)
  if (!parsed.success) throw configIssues(parsed.error, sources, merged, file)
  for (const key of Object.keys(parsed.data) as CliConfigKey[]) sources[key] ??= 'default'
  return { config: parsed.data, sources, file }
}

function configIssues(
  error: z.ZodError,
  sources: ResolvedConfig['sources'],
  merged: Record<string, unknown>,
  file: string | undefined,
): Error {
  const problems = error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return `${file ?? 'config'}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (known: ${Object.keys(ENV_NAMES).join(', ')})`
    }
    const key = String(issue.path[0]) as CliConfigKey
    const source = sources[key]
    const where =
      source === 'flag'
        ? (FLAG_NAMES[key] ?? key)
        : source === 'env'
          ? ENV_NAMES[key]
          : source === 'file'
            ? `${file}: "${key}"`
            : key
    const got = merged[key]
    const shown = key === 'apiKey' ? '' : ` (got ${JSON.stringify(got)})`
    return `${where}: ${issue.message}${shown}`
  })
  return usageError(`Invalid setting. ${problems.join('; ')}.`, { issues: problems })
}
