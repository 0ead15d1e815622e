// Shows configuration without leaking it: secret values become a fixed mask, never a prefix.

import { PROVIDER_KEY_ENV } from '@rlm/providers/env'
import { ENV_NAMES, SECRET_KEYS } from './config-schema.ts'

export const MASK = '********'

export function maskSecrets<T extends Record<string, unknown>>(config: T): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(config))
    out[key] = SECRET_KEYS.has(key) && value !== undefined ? MASK : value
  return out
}

/** Provider key variables the built-in providers read, and whether each is set (never its value). */
export const PROVIDER_KEY_VARS = [...Object.values(PROVIDER_KEY_ENV), ENV_NAMES.apiKey] as const

export function providerKeysSet(env: NodeJS.ProcessEnv = process.env): Record<string, boolean> {
  return Object.fromEntries(PROVIDER_KEY_VARS.map((name) => [name, Boolean(env[name])]))
}
