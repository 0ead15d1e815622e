// What every built-in factory shares: one rate limiter per provider instance, the reliability
// layer around each raw model, and `languageModel(id)` for more models with the same settings.
import { lookupModel, type ModelPrice } from './model-catalog.ts'
import type { ProviderSettings } from './provider-settings.ts'
import { createRateLimiter, type RateLimiter } from './rate-limiter.ts'
import type { LanguageModel } from './spec.ts'
import { wrapModel } from './wrap-model.ts'

/** A spec model for `settings.model`, plus a way to get sibling models sharing the same client and limiter. */
export interface ProviderModel extends LanguageModel {
  languageModel(modelId: string): LanguageModel
}

export interface ModelFacts {
  contextWindow: number | undefined
  price: ModelPrice | undefined
}

export function buildProvider(
  settings: ProviderSettings,
  catalogName: string,
  defaultModel: string,
  makeRaw: (modelId: string, facts: ModelFacts) => LanguageModel,
): ProviderModel {
  const limiter: RateLimiter | undefined =
    settings.rateLimit === undefined
      ? undefined
      : 'acquire' in settings.rateLimit
        ? settings.rateLimit
        : createRateLimiter(settings.rateLimit)
  const languageModel = (modelId: string): LanguageModel => {
    const known = lookupModel(catalogName, modelId)
    const isDefault = modelId === (settings.model ?? defaultModel)
    const facts: ModelFacts = {
      contextWindow: (isDefault ? settings.contextWindow : undefined) ?? known.contextWindow,
      price: (isDefault ? settings.price : undefined) ?? known.price,
    }
    return wrapModel(makeRaw(modelId, facts), {
      maxRetries: settings.maxRetries,
      timeoutMs: settings.timeoutMs,
      rateLimit: limiter,
    })
  }
  const main = languageModel(settings.model ?? defaultModel)
  return { ...main, generate: main.generate, languageModel }
}
