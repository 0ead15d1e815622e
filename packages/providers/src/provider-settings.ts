// The settings every built-in provider accepts, with the same names everywhere, validated by zod
// so a typo or a wrong type fails at creation with E_CONFIG instead of at the first call.
import { RlmError, registerSecret } from '@rlm/errors'
import { z } from 'zod'
import type { ModelPrice } from './model-catalog.ts'
import type { RateLimiter, RateLimitOptions } from './rate-limiter.ts'

const priceSchema = z.object({
  inputPerMillion: z.number().nonnegative(),
  outputPerMillion: z.number().nonnegative(),
  cachedInputPerMillion: z.number().nonnegative().optional(),
})

// The limiter branch goes first: the object branch would strip a limiter down to `{}`.
const rateLimitSchema = z.union([
  z.custom<RateLimiter>((v) => typeof (v as RateLimiter | undefined)?.acquire === 'function'),
  z.object({
    requestsPerMinute: z.number().positive().optional(),
    tokensPerMinute: z.number().positive().optional(),
    windowMs: z.number().positive().optional(),
  }),
])

export const providerSettingsSchema = z.object({
  apiKey: z.string().min(1).optional(),
  baseURL: z.url().optional(),
  model: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  fetch: z
    .custom<typeof globalThis.fetch>((v) => typeof v === 'function', 'fetch must be a function')
    .optional(),
  /** Per-attempt timeout in ms (default 120 s). */
  timeoutMs: z.number().int().positive().optional(),
  /** Retries by rlm's retry layer (the vendor SDK's own retries are always off). Default 2. */
  maxRetries: z.number().int().nonnegative().optional(),
  rateLimit: rateLimitSchema.optional(),
  /** Overrides the catalog's context window for this model. */
  contextWindow: z.number().int().positive().optional(),
  /** Overrides the catalog's price for this model. */
  price: priceSchema.optional(),
  /** Default output budget when a request sets none (Anthropic requires one). */
  maxOutputTokens: z.number().int().positive().optional(),
})

export interface ProviderSettings {
  apiKey?: string
  baseURL?: string
  model?: string
  headers?: Record<string, string>
  fetch?: typeof globalThis.fetch
  timeoutMs?: number
  maxRetries?: number
  rateLimit?: RateLimitOptions | RateLimiter
  contextWindow?: number
  price?: ModelPrice
  maxOutputTokens?: number
}

export const DEFAULT_TIMEOUT_MS = 120_000

/** Validates settings; throws E_CONFIG naming each bad field. */
export function parseSettings<S extends z.ZodType>(schema: S, input: unknown, factory: string): z.infer<S> {
  const result = schema.safeParse(input ?? {})
  if (result.success) {
    registerSettingsSecrets(result.data as ProviderSettings)
    return result.data
  }
  const problems = result.error.issues
    .map((i) => `${i.path.join('.') || '(settings)'}: ${i.message}`)
    .join('; ')
  throw new RlmError('E_CONFIG', `Invalid settings for ${factory}: ${problems}.`, {
    cause: result.error,
    details: { factory, issues: result.error.issues },
  })
}

const AUTH_HEADER = /auth|key|token|secret/i

/** The key and any credential headers of a provider's settings: redacted from every output. */
export function registerSettingsSecrets(settings: Pick<ProviderSettings, 'apiKey' | 'headers'>): void {
  registerSecret(settings.apiKey)
  for (const [name, value] of Object.entries(settings.headers ?? {})) {
    if (!AUTH_HEADER.test(name)) continue
    registerSecret(value)
    // "Bearer <token>": the token alone may be echoed too.
    registerSecret(value.replace(/^\s*\S+\s+/, ''))
  }
}
