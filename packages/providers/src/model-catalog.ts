// What rlm knows about well-known models: context window and price. Prices are USD per million
// tokens as published by each vendor; a model missing here has an unknown price (costUsd undefined).
import type { ModelPrice, Usage } from './spec.ts'

export type { ModelPrice }

export interface ModelInfo {
  contextWindow?: number
  price?: ModelPrice
}

const p = (inputPerMillion: number, outputPerMillion: number, cachedInputPerMillion?: number): ModelPrice =>
  cachedInputPerMillion === undefined
    ? { inputPerMillion, outputPerMillion }
    : { inputPerMillion, outputPerMillion, cachedInputPerMillion }

const CATALOG: Record<string, Record<string, ModelInfo>> = {
  openai: {
    'gpt-4o-mini': { contextWindow: 128_000, price: p(0.15, 0.6, 0.075) },
    'gpt-4o': { contextWindow: 128_000, price: p(2.5, 10, 1.25) },
    'gpt-4.1': { contextWindow: 1_047_576, price: p(2, 8, 0.5) },
    'gpt-4.1-mini': { contextWindow: 1_047_576, price: p(0.4, 1.6, 0.1) },
    'gpt-4.1-nano': { contextWindow: 1_047_576, price: p(0.1, 0.4, 0.025) },
    'gpt-5': { contextWindow: 400_000, price: p(1.25, 10, 0.125) },
    'gpt-5-mini': { contextWindow: 400_000, price: p(0.25, 2, 0.025) },
    'gpt-5-nano': { contextWindow: 400_000, price: p(0.05, 0.4, 0.005) },
    'o4-mini': { contextWindow: 200_000, price: p(1.1, 4.4, 0.275) },
  },
  groq: {
    'llama-3.1-8b-instant': { contextWindow: 131_072, price: p(0.05, 0.08) },
    'llama-3.3-70b-versatile': { contextWindow: 131_072, price: p(0.59, 0.79) },
    'openai/gpt-oss-20b': { contextWindow: 131_072, price: p(0.075, 0.3) },
    'openai/gpt-oss-120b': { contextWindow: 131_072, price: p(0.15, 0.6) },
  },
  anthropic: {
    'claude-3-5-haiku-latest': { contextWindow: 200_000, price: p(0.8, 4, 0.08) },
    'claude-3-5-haiku-20241022': { contextWindow: 200_000, price: p(0.8, 4, 0.08) },
    'claude-haiku-4-5': { contextWindow: 200_000, price: p(1, 5, 0.1) },
    'claude-sonnet-4-0': { contextWindow: 200_000, price: p(3, 15, 0.3) },
    'claude-sonnet-4-5': { contextWindow: 200_000, price: p(3, 15, 0.3) },
    'claude-opus-4-1': { contextWindow: 200_000, price: p(15, 75, 1.5) },
  },
}

/** Local servers cost nothing per token, so their price is known: zero. */
const FREE_PROVIDERS = new Set(['ollama'])

export function lookupModel(provider: string, modelId: string): ModelInfo {
  const info = CATALOG[provider]?.[modelId] ?? {}
  if (info.price === undefined && FREE_PROVIDERS.has(provider)) return { ...info, price: p(0, 0) }
  return info
}

/** Cost of one call, or undefined when the price is unknown. */
export function computeCost(usage: Usage, price: ModelPrice | undefined): number | undefined {
  if (!price) return undefined
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens)
  const cachedPrice = price.cachedInputPerMillion ?? price.inputPerMillion
  return (
    ((usage.inputTokens - cached) * price.inputPerMillion +
      cached * cachedPrice +
      usage.outputTokens * price.outputPerMillion) /
    1_000_000
  )
}
