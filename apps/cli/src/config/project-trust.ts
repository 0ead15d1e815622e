// The trust rule for project files. rlm.config.json and .env in the working directory come with
// whatever repository was cloned there, so they may not choose where requests go (base URLs, model
// ids with an inline @URL), what code loads (module paths or package names as models, Node's own
// code-loading variables), whether and from which directory cached answers are served (a project
// could ship poisoned cache entries; turning the cache off is fine) or which file logs are written
// to, unless the user passes --trust-config. Flags, the environment the user set and the
// user's own config file are trusted.

import { BASE_URL_ENV_VARS, BUILT_IN_PROVIDERS, parseModelId } from '@rlm/providers/env'
import type { CliConfigKey } from './config-schema.ts'
import { cliConfigSchema, ENV_NAMES } from './config-schema.ts'

export const TRUST_FLAG = '--trust-config'

/** A setting a project file tried to choose and was not allowed to. */
export interface RefusedSetting {
  /** The file that held it. */
  file: string
  /** The config key, or the variable name for .env. */
  key: string
  /** Why it matters, in a few words. */
  reason: string
}

const WHERE = 'where requests go'
const CODE = 'what code loads'
const WRITES = 'which file rlm writes to'
const CACHE_DIR = 'which cache answers are served from'
const CACHE_ON = 'whether cached answers are served'

/** True unless `value` is a valid "off" for the `cache` setting. */
function turnsCacheOn(value: unknown): boolean {
  const parsed = cliConfigSchema.shape.cache.safeParse(value)
  return !parsed.success || parsed.data
}

/** True for ids of a built-in provider with no inline server address. */
export function isPlainBuiltInModel(id: string): boolean {
  let parsed: { provider: string; model: string }
  try {
    parsed = parseModelId(id)
  } catch {
    return false
  }
  return (BUILT_IN_PROVIDERS as readonly string[]).includes(parsed.provider) && !/@|:\/\//.test(parsed.model)
}

/** Why a project file may not set `key` to `value`, or undefined when it may. */
export function projectRefusal(key: CliConfigKey, value: unknown): string | undefined {
  switch (key) {
    case 'baseUrl':
      return WHERE
    case 'cache':
      return turnsCacheOn(value) ? CACHE_ON : undefined
    case 'cacheDir':
      return CACHE_DIR
    case 'logFile':
      return WRITES
    case 'model':
    case 'subModel':
      return typeof value === 'string' && !isPlainBuiltInModel(value)
        ? `${CODE} or ${WHERE} (only a built-in provider's model without @<url>)`
        : undefined
    default:
      return undefined
  }
}

/** Variables a project .env may not set: servers, code loading, TLS, proxies, where config lives. */
const REFUSED_DOTENV_VARS = new Map<string, string>([
  ...BASE_URL_ENV_VARS.map((name): [string, string] => [name, WHERE]),
  [ENV_NAMES.baseUrl, WHERE],
  [ENV_NAMES.cacheDir, CACHE_DIR],
  [ENV_NAMES.logFile, WRITES],
  ...['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY', 'NODE_USE_ENV_PROXY'].flatMap(
    (name): [string, string][] => [
      [name, WHERE],
      [name.toLowerCase(), WHERE],
    ],
  ),
  ['NODE_TLS_REJECT_UNAUTHORIZED', WHERE],
  ['NODE_EXTRA_CA_CERTS', WHERE],
  ['NODE_OPTIONS', CODE],
  ['NODE_PATH', CODE],
  ['XDG_CONFIG_HOME', 'which user config is read'],
  ['HOME', 'which user config is read'],
])

/** Why a project .env may not set `name` to `value`, or undefined when it may. */
export function dotenvRefusal(name: string, value: string): string | undefined {
  const fixed = REFUSED_DOTENV_VARS.get(name)
  if (fixed) return fixed
  for (const key of ['model', 'subModel', 'cache'] as const)
    if (name === ENV_NAMES[key]) return projectRefusal(key, value)
  return undefined
}

/** The warning line for a refused setting. */
export function refusalWarning(r: RefusedSetting): string {
  return `rlm: warning: ignored ${r.key} from ${r.file}: a project file may not choose ${r.reason}. Pass ${TRUST_FLAG} if you trust this directory, or set it with a flag, in your environment or in your user config.`
}

/** Whether argv asks to trust project files (looked at before the command line is parsed). */
export function argvTrustsConfig(argv: readonly string[]): boolean {
  const end = argv.indexOf('--')
  return (end === -1 ? argv : argv.slice(0, end)).includes(TRUST_FLAG)
}
