// createGroq through the official groq-sdk (retries off; loaded on the first call). Key from
// `apiKey` or GROQ_API_KEY.
import type Groq from 'groq-sdk'
import { clientPerKey, readApiKey } from './api-key.ts'
import { createChatCompletionsModel } from './chat-completions-model.ts'
import { defaultFetch } from './keep-alive-fetch.ts'
import { lazySdk } from './lazy-sdk.ts'
import { PROVIDER_KEY_ENV } from './provider-env.ts'
import { buildProvider, type ProviderModel } from './provider-factory.ts'
import {
  DEFAULT_TIMEOUT_MS,
  type ProviderSettings,
  parseSettings,
  providerSettingsSchema,
} from './provider-settings.ts'

export interface GroqSettings extends ProviderSettings {}

type GroqClass = typeof Groq
const loadGroq = lazySdk<GroqClass>('groq-sdk', async () => (await import('groq-sdk')).default)

/** Groq's API (baseURL defaults to https://api.groq.com; the SDK adds /openai/v1). Default model llama-3.1-8b-instant. */
export function createGroq(settings: GroqSettings = {}): ProviderModel {
  const s = parseSettings(providerSettingsSchema, settings, 'createGroq') as GroqSettings
  // The SDK appends /openai/v1 itself; accept the OpenAI-style base URL people often copy too.
  const baseURL = (s.baseURL ?? 'https://api.groq.com').replace(/\/openai\/v1\/?$/, '')
  const timeoutMs = s.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const ctx = { provider: 'groq', baseURL, apiKeyEnv: PROVIDER_KEY_ENV.groq }
  const client = clientPerKey(
    (key, GroqSdk: GroqClass) =>
      new GroqSdk({
        apiKey: key,
        baseURL,
        defaultHeaders: s.headers,
        fetch: s.fetch ?? defaultFetch(),
        maxRetries: 0,
        timeout: timeoutMs,
        logLevel: 'off',
      }),
  )
  return buildProvider(s, 'groq', 'llama-3.1-8b-instant', (modelId, facts) =>
    createChatCompletionsModel({
      provider: 'groq',
      modelId,
      ...facts,
      timeoutMs,
      maxTokensField: 'max_tokens',
      errorContext: ctx,
      client: async () => {
        const key = readApiKey(s.apiKey, ctx.apiKeyEnv, ctx)
        return client(key, await loadGroq())
      },
    }),
  )
}
