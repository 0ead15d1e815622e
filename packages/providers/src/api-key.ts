// API keys are read when a call is made, not when a provider is created, so a key set (or
// rotated) in the environment later is picked up; one SDK client is kept per key.
import { RlmError, registerSecret } from '@rlm/errors'
import type { ProviderErrorContext } from './provider-errors.ts'

/** Reads a key at call time: explicit setting first, then the environment. */
export function readApiKey(explicit: string | undefined, envName: string, ctx: ProviderErrorContext): string {
  const key = explicit ?? process.env[envName]
  if (key === undefined || key === '') {
    throw new RlmError(
      'E_PROVIDER_AUTH',
      `No API key for ${ctx.provider}: set ${envName} in the environment or pass apiKey in the provider settings.`,
      { details: { provider: ctx.provider, env: envName } },
    )
  }
  // Registered so every output of the process redacts it, even when a server echoes it back.
  registerSecret(key)
  return key
}

/**
 * Keeps one SDK client per key, so a key changed in the environment is picked up. `sdk` is the
 * loaded SDK module (see lazy-sdk.ts), passed in because it is loaded on first use.
 */
export function clientPerKey<C, S>(make: (key: string, sdk: S) => C): (key: string, sdk: S) => C {
  let lastKey: string | undefined
  let last: C | undefined
  return (key, sdk) => {
    if (last === undefined || key !== lastKey) {
      last = make(key, sdk)
      lastKey = key
    }
    return last
  }
}
