// Layers the settings: defaults < the user's config file < rlm.config.json (or --config) < RLM_*
// variables < flags, validates the result with the one schema, and remembers where every value
// came from (for `rlm config` and for error messages that name the flag, variable or file to fix).
// The project file is held to the trust rule (project-trust.ts): what it may not choose is left
// out and reported in `refused`, unless `trustConfig`.

import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { z } from 'zod'
import { usageError } from '../usage-error.ts'
import { type CliConfig, type CliConfigKey, cliConfigSchema, ENV_NAMES, FLAG_NAMES } from './config-schema.ts'
import { projectRefusal, type RefusedSetting } from './project-trust.ts'
import { userCacheDir } from './user-cache-dir.ts'
import { userConfigPath } from './user-config.ts'

export type ConfigSource = 'default' | 'user' | 'file' | 'env' | 'flag'

export interface ResolvedConfig {
  config: CliConfig
  sources: Partial<Record<CliConfigKey, ConfigSource>>
  /** The project config file read, if any. */
  file: string | undefined
  /** The user's config file, if it exists. */
  userFile: string | undefined
  /** Project-file settings left out by the trust rule. */
  refused: RefusedSetting[]
}

export interface ConfigRequest {
  /** Flag values by config key (undefined = not given). */
  flags?: Partial<Record<CliConfigKey, unknown>>
  /** --config: must exist when given. */
  configPath?: string | undefined
  /** --trust-config: the project file may choose servers, model code and the cache directory. */
  trustConfig?: boolean
  cwd?: string
  env?: NodeJS.ProcessEnv
}

export const DEFAULT_CONFIG_FILE = 'rlm.config.json'

const KNOWN_KEYS = new Set(Object.keys(ENV_NAMES))

function readConfigFile(path: string, hint: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (cause) {
    throw usageError(`Cannot read the config file ${path} (${(cause as Error).message}); ${hint}.`)
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
  const unknown = Object.keys(rest).filter((k) => !KNOWN_KEYS.has(k))
  if (unknown.length > 0) {
    throw usageError(
      `Invalid setting. ${path}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${[...KNOWN_KEYS].join(', ')}).`,
    )
  }
  return rest
}

function projectFile(request: ConfigRequest, cwd: string): string | undefined {
  if (request.configPath !== undefined) return resolve(cwd, request.configPath)
  const found = resolve(cwd, DEFAULT_CONFIG_FILE)
  return existsSync(found) ? found : undefined
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

  // Defaults that depend on the environment the command runs in.
  put({ cacheDir: userCacheDir(env) }, 'default')
  const userPath = userConfigPath(env)
  const userFile = existsSync(userPath) ? userPath : undefined
  if (userFile) put(readConfigFile(userFile, 'fix or remove it'), 'user')

  const file = projectFile(request, cwd)
  const refused: RefusedSetting[] = []
  if (file) {
    const values = readConfigFile(file, 'pass an existing file to --config')
    if (!request.trustConfig) {
      for (const [key, value] of Object.entries(values)) {
        const reason = projectRefusal(key as CliConfigKey, value)
        if (reason === undefined) continue
        refused.push({ file, key, reason })
        delete values[key]
      }
    }
    put(values, 'file')
  }

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
  if (!parsed.success) throw configIssues(parsed.error, sources, merged, { file, user: userFile })
  for (const key of Object.keys(parsed.data) as CliConfigKey[]) sources[key] ??= 'default'
  return { config: parsed.data, sources, file, userFile, refused }
}

function configIssues(
  error: z.ZodError,
  sources: ResolvedConfig['sources'],
  merged: Record<string, unknown>,
  files: { file: string | undefined; user: string | undefined },
): Error {
  const problems = error.issues.map((issue) => {
    const key = String(issue.path[0]) as CliConfigKey
    const source = sources[key]
    const where =
      source === 'flag'
        ? (FLAG_NAMES[key] ?? key)
        : source === 'env'
          ? ENV_NAMES[key]
          : source === 'file'
            ? `${files.file}: "${key}"`
            : source === 'user'
              ? `${files.user}: "${key}"`
              : key
    const got = merged[key]
    const shown = key === 'apiKey' ? '' : ` (got ${JSON.stringify(got)})`
    return `${where}: ${issue.message}${shown}`
  })
  return usageError(`Invalid setting. ${problems.join('; ')}.`, { issues: problems })
}
