// createOpenAI and createOpenAICompatible (Ollama, vLLM, llama.cpp, LM Studio, OpenRouter), both
// through the official openai SDK with its retries off; the SDK is loaded on the first call.
import type OpenAI from 'openai'
import { z } from 'zod'
import { clientPerKey, readApiKey } from './api-key.ts'
import { type ChatCompletionsClient, createChatCompletionsModel } from './chat-completions-model.ts'
import { createDirectChatClient } from './direct-chat-client.ts'
import { defaultFetch } from './keep-alive-fetch.ts'
import { lazySdk } from './lazy-sdk.ts'
import { OLLAMA_BASE_URL, OPENAI_BASE_URL, PROVIDER_KEY_ENV } from './provider-env.ts'
import { buildProvider, type ProviderModel } from './provider-factory.ts'
import {
  DEFAULT_TIMEOUT_MS,
  type ProviderSettings,
  parseSettings,
  providerSettingsSchema,
} from './provider-settings.ts'

type OpenAIClass = typeof OpenAI
const loadOpenAI = lazySdk<OpenAIClass>('openai', async () => (await import('openai')).default)

function openAIClient(
  OpenAISdk: OpenAIClass,
  settings: ProviderSettings,
  baseURL: string,
  key: string,
  timeoutMs: number,
): OpenAI {
  return new OpenAISdk({
    apiKey: key,
    baseURL,
    organization: null,
    project: null,
    defaultHeaders: settings.headers,
    fetch: settings.fetch ?? defaultFetch(),
    maxRetries: 0,
    timeout: timeoutMs,
    logLevel: 'off',
  })
}

/**
 * The client for one key: with the default transport, requests go straight over node:http(s)
 * (direct-chat-client.ts); a `fetch` given in the settings goes through the openai SDK, which
 * calls it for every request.
 */
function clientFor(
  s: ProviderSettings,
  baseURL: string,
  timeoutMs: number,
): (key: string) => Promise<ChatCompletionsClient> {
  if (s.fetch === undefined) {
    const direct = clientPerKey((key, _: undefined) =>
      createDirectChatClient({ baseURL, apiKey: key, headers: s.headers }),
    )
    return async (key) => direct(key, undefined)
  }
  const sdk = clientPerKey((key, OpenAISdk: OpenAIClass) =>
    openAIClient(OpenAISdk, s, baseURL, key, timeoutMs),
  )
  return async (key) => sdk(key, await loadOpenAI())
}

export interface OpenAISettings extends ProviderSettings {}

/** OpenAI's API. Key from `apiKey` or OPENAI_API_KEY (read at call time); default model gpt-4o-mini. */
export function createOpenAI(settings: OpenAISettings = {}): ProviderModel {
  const s = parseSettings(providerSettingsSchema, settings, 'createOpenAI') as OpenAISettings
  const baseURL = s.baseURL ?? process.env.OPENAI_BASE_URL ?? OPENAI_BASE_URL
  const timeoutMs = s.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const ctx = { provider: 'openai', baseURL, apiKeyEnv: PROVIDER_KEY_ENV.openai }
  const client = clientFor(s, baseURL, timeoutMs)
  return buildProvider(s, 'openai', 'gpt-4o-mini', (modelId, facts) =>
    createChatCompletionsModel({
      provider: 'openai',
      modelId,
      ...facts,
      timeoutMs,
      maxTokensField: 'max_completion_tokens',
      errorContext: ctx,
      client: () => client(readApiKey(s.apiKey, ctx.apiKeyEnv, ctx)),
    }),
  )
}

const compatibleSchema = providerSettingsSchema.extend({
  /** Provider name reported by the model and used in errors (default 'openai-compatible'). */
  name: z.string().min(1).optional(),
})

export interface OpenAICompatibleSettings extends ProviderSettings {
  name?: string
}

/**
 * Any server speaking OpenAI chat completions. Defaults to a local Ollama
 * (http://localhost:11434/v1, model mistral:7b); no key needed unless the server wants one.
 */
export function createOpenAICompatible(settings: OpenAICompatibleSettings = {}): ProviderModel {
  const s = parseSettings(compatibleSchema, settings, 'createOpenAICompatible') as OpenAICompatibleSettings
  const baseURL = s.baseURL ?? OLLAMA_BASE_URL
  const name = s.name ?? 'openai-compatible'
  const timeoutMs = s.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const isOllama = new URL(baseURL).port === new URL(OLLAMA_BASE_URL).port
  const origin = new URL(baseURL).origin
  const ctx = {
    provider: name,
    baseURL,
    unavailableHint: isOllama
      ? `is Ollama running at ${origin}? Start it with \`ollama serve\`.`
      : `is the server running at ${baseURL}?`,
  }
  // Local servers ignore the key, but the SDK insists on one.
  const client = clientFor(s, baseURL, timeoutMs)
  return buildProvider(s, name, 'mistral:7b', (modelId, facts) =>
    createChatCompletionsModel({
      provider: name,
      modelId,
      ...facts,
      timeoutMs,
      maxTokensField: 'max_tokens',
      errorContext: ctx,
      client: () => client(s.apiKey ?? 'not-needed'),
    }),
  )
}
