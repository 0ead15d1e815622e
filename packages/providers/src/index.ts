// @rlm/providers: one language-model spec, the built-in providers that implement it, and the
// reliability layer (retry, rate limit, timeout), response cache and model-id resolution.
export { type AnthropicSettings, createAnthropic } from './anthropic-provider.ts'
export { createGroq, type GroqSettings } from './groq-provider.ts'
export { createKeepAliveFetch } from './keep-alive-fetch.ts'
export { computeCost, lookupModel, type ModelInfo, type ModelPrice } from './model-catalog.ts'
export {
  createOpenAI,
  createOpenAICompatible,
  type OpenAICompatibleSettings,
  type OpenAISettings,
} from './openai-provider.ts'
export {
  BASE_URL_ENV_VARS,
  BUILT_IN_PROVIDERS,
  OLLAMA_BASE_URL,
  OPENAI_BASE_URL,
  PROVIDER_KEY_ENV,
  PROVIDER_PACKAGES,
  parseModelId,
} from './provider-env.ts'
export {
  badResponseError,
  errorFromStatus,
  mapProviderError,
  PROVIDER_ERROR_CODES,
  type ProviderErrorCode,
  type ProviderErrorContext,
  providerError,
} from './provider-errors.ts'
export type { ProviderModel } from './provider-factory.ts'
export { type ProviderSettings, providerSettingsSchema } from './provider-settings.ts'
export { createRateLimiter, type RateLimiter, type RateLimitOptions } from './rate-limiter.ts'
export { type ProviderFactory, type ResolveOptions, resolveModel } from './resolve-model.ts'
export {
  type CachedResponse,
  type CacheOptions,
  cachedResponseSchema,
  cacheKey,
  createCache,
  type ResponseCache,
  stableContent,
  VOLATILE_LINE_MARK,
  type WithCacheOptions,
  withCache,
} from './response-cache.ts'
export {
  createScripted,
  type ScriptedModel,
  type ScriptedOptions,
  type ScriptedReplies,
  type ScriptedReply,
} from './scripted-model.ts'
export * from './spec.ts'
export {
  derive,
  estimateTokens,
  type RetryOptions,
  type WrapOptions,
  withRateLimit,
  withRetry,
  withTimeout,
  wrapModel,
} from './wrap-model.ts'
