// @rlm/providers is an optional peer of the engine: loaded only when something needs it (model-id
// strings, the response cache, catalog windows), so a program that passes spec models installs
// no vendor SDK. Missing, it is undefined; required and missing, E_CONFIG says how to install it.

import { RlmError } from '@rlm/errors'

type Providers = typeof import('@rlm/providers')

/**
 * `load()`'s module, or undefined when the package `name` is not installed. Any other failure
 * (the package is there but broken, or one of its own dependencies is missing) is thrown.
 */
export async function importOptional<T>(name: string, load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load()
  } catch (cause) {
    if (isMissingPackage(cause, name)) return undefined
    throw cause
  }
}

function isMissingPackage(cause: unknown, name: string): boolean {
  if (!(cause instanceof Error)) return false
  const code = (cause as { code?: unknown }).code
  // Node names the package it could not find: "Cannot find package '@rlm/providers' imported from ...".
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && cause.message.includes(`'${name}'`)
  )
}

let providers: Promise<Providers | undefined> | undefined

/** @rlm/providers when it is installed, else undefined. */
export function loadProviders(): Promise<Providers | undefined> {
  providers ??= importOptional('@rlm/providers', () => import('@rlm/providers'))
  providers.catch(() => {
    providers = undefined // a broken install may be repaired; the next run tries again
  })
  return providers
}

/** @rlm/providers for `what`, which cannot work without it. */
export async function requireProviders(what: string): Promise<Providers> {
  return providersOrConfigError(await loadProviders(), what)
}

export function providersOrConfigError(loaded: Providers | undefined, what: string): Providers {
  if (loaded) return loaded
  throw new RlmError(
    'E_CONFIG',
    `${what} needs @rlm/providers, which is not installed: npm i @rlm/providers (or pass spec LanguageModel objects, which need no provider package).`,
    { details: { package: '@rlm/providers' } },
  )
}
