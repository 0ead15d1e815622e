// Turns a model id string ('openai:gpt-4o-mini', 'ollama:mistral:7b', 'my-pkg:model', ...) into a
// spec model: built-ins by name, anything else as a custom provider package or configured alias.
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { RlmError } from '@rlm/errors'
import { createAnthropic } from './anthropic-provider.ts'
import { createGroq } from './groq-provider.ts'
import { parseModelId } from './model-id.ts'
import { createOpenAI, createOpenAICompatible } from './openai-provider.ts'
import { BUILT_IN_PROVIDERS, OLLAMA_BASE_URL, PROVIDER_PACKAGES } from './provider-env.ts'
import { type ProviderSettings, registerSettingsSecrets } from './provider-settings.ts'
import { createRateLimiter, type RateLimiter } from './rate-limiter.ts'
import { type ResponseCache, withCache } from './response-cache.ts'
import { type LanguageModel, SPECIFICATION_VERSION } from './spec.ts'
import { wrapModel } from './wrap-model.ts'

/** What a custom provider package exports (as default or as `createProvider`). */
export type ProviderFactory = (
  settings: ProviderSettings & { model: string },
) => LanguageModel | ((modelId: string) => LanguageModel) | Promise<LanguageModel>

export interface ResolveOptions extends Omit<ProviderSettings, 'model'> {
  /** Provider name → package name, file path/URL, factory or loaded module. */
  providers?: Record<string, string | ProviderFactory | { default?: unknown; createProvider?: unknown }>
  /** Where package names are resolved from (default: process.cwd()). */
  resolveFrom?: string
  /** Serve repeated calls from this cache (see createCache). */
  cache?: ResponseCache
}

function configError(id: string, why: string, cause?: unknown): RlmError {
  return new RlmError('E_CONFIG', `Cannot resolve model id '${id}': ${why}`, {
    cause,
    details: { modelId: id },
  })
}

export async function resolveModel(id: string, options: ResolveOptions = {}): Promise<LanguageModel> {
  const model = await resolveUncached(id, options)
  return options.cache ? withCache(model, { cache: options.cache }) : model
}

// Models resolved separately for the same provider account share one limiter, so root and
// sub-calls together stay within e.g. Groq's free 30 requests a minute.
const sharedLimiters = new Map<string, RateLimiter>()

function sharedLimiter(provider: string, settings: Omit<ProviderSettings, 'model'>): RateLimiter | undefined {
  const limit = settings.rateLimit
  if (limit === undefined || 'acquire' in limit) return limit
  const key = JSON.stringify([provider, settings.baseURL ?? null, settings.apiKey ?? null, limit])
  let limiter = sharedLimiters.get(key)
  if (!limiter) {
    limiter = createRateLimiter(limit)
    sharedLimiters.set(key, limiter)
  }
  return limiter
}

async function resolveUncached(id: string, options: ResolveOptions): Promise<LanguageModel> {
  const { provider, model } = parseModelId(id)
  const { providers, resolveFrom, cache: _cache, ...rest } = options
  const settings = { ...rest, rateLimit: sharedLimiter(provider, rest) }
  // A custom provider gets the key too, and may not validate its settings with ours.
  registerSettingsSecrets(settings)
  const custom = providers?.[provider]
  if (custom === undefined) {
    switch (provider) {
      case 'openai':
        return createOpenAI({ ...settings, model })
      case 'groq':
        return createGroq({ ...settings, model })
      case 'anthropic':
        return createAnthropic({ ...settings, model })
      case 'ollama':
        return createOpenAICompatible({ baseURL: OLLAMA_BASE_URL, ...settings, name: 'ollama', model })
      case 'openai-compatible': {
        const at = model.search(/@https?:\/\//)
        if (at <= 0) {
          throw configError(
            id,
            `expected 'openai-compatible:<model>@<baseURL>', e.g. 'openai-compatible:qwen2.5@http://localhost:8000/v1'.`,
          )
        }
        return createOpenAICompatible({
          ...settings,
          model: model.slice(0, at),
          baseURL: model.slice(at + 1),
        })
      }
    }
  }
  const source = custom ?? PROVIDER_PACKAGES[provider] ?? provider
  const factory = await loadFactory(id, provider, source, resolveFrom ?? process.cwd())
  let made: unknown
  try {
    made = await factory({ ...settings, model })
    if (typeof made === 'function') made = (made as (m: string) => unknown)(model)
  } catch (err) {
    throw configError(
      id,
      `the factory of provider '${provider}' threw: ${(err as Error)?.message ?? err}`,
      err,
    )
  }
  return wrapModel(checkModel(id, provider, made), settings)
}

function checkModel(id: string, provider: string, made: unknown): LanguageModel {
  const m = made as Partial<LanguageModel> | undefined
  if (!m || typeof m.generate !== 'function') {
    throw configError(id, `provider '${provider}' returned no model with a generate() method.`)
  }
  if (m.specificationVersion !== SPECIFICATION_VERSION) {
    throw configError(
      id,
      `provider '${provider}' implements spec '${String(m.specificationVersion)}', this @rlm/providers implements '${SPECIFICATION_VERSION}'.`,
    )
  }
  return m as LanguageModel
}

async function loadFactory(
  id: string,
  provider: string,
  source: string | ProviderFactory | { default?: unknown; createProvider?: unknown },
  resolveFrom: string,
): Promise<ProviderFactory> {
  let mod: unknown = source
  if (typeof source === 'string') mod = await importPackage(id, provider, source, resolveFrom)
  if (typeof mod === 'function') return mod as ProviderFactory
  const m = mod as { default?: unknown; createProvider?: unknown }
  const factory = typeof m.createProvider === 'function' ? m.createProvider : m.default
  if (typeof factory !== 'function') {
    throw configError(
      id,
      `'${typeof source === 'string' ? source : provider}' exports no provider factory (a default export or createProvider).`,
    )
  }
  return factory as ProviderFactory
}

async function importPackage(
  id: string,
  provider: string,
  specifier: string,
  resolveFrom: string,
): Promise<unknown> {
  const isPath = specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:')
  const target =
    isPath && !specifier.startsWith('file:') ? pathToFileURL(join(resolveFrom, specifier)).href : specifier
  const errors: unknown[] = []
  if (!isPath) {
    // The user's project first: the package is their dependency, not ours.
    try {
      const resolved = createRequire(join(resolveFrom, 'package.json')).resolve(specifier)
      return await import(pathToFileURL(resolved).href)
    } catch (err) {
      errors.push(err)
    }
  }
  try {
    return await import(target)
  } catch (err) {
    errors.push(err)
  }
  const known = BUILT_IN_PROVIDERS.join(', ')
  throw configError(
    id,
    `'${provider}' is not a built-in provider (${known}) and the package '${specifier}' could not be loaded from ${resolveFrom}: install it (npm install ${specifier}) or configure an alias in options.providers.`,
    errors[errors.length - 1],
  )
}
