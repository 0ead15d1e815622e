// createAnthropic through the official @anthropic-ai/sdk (retries off; loaded on the first call):
// system messages go to the `system` field, consecutive same-role turns are merged as the
// Messages API requires.
import type Anthropic from '@anthropic-ai/sdk'
import { formatIssues } from '@rlm/errors'
import { z } from 'zod'
import { clientPerKey, readApiKey } from './api-key.ts'
import { defaultFetch } from './keep-alive-fetch.ts'
import { lazySdk } from './lazy-sdk.ts'
import { computeCost } from './model-catalog.ts'
import { PROVIDER_KEY_ENV } from './provider-env.ts'
import { badResponseError, mapProviderError } from './provider-errors.ts'
import { buildProvider, type ProviderModel } from './provider-factory.ts'
import {
  DEFAULT_TIMEOUT_MS,
  type ProviderSettings,
  parseSettings,
  providerSettingsSchema,
} from './provider-settings.ts'
import {
  type FinishReason,
  type GenerateRequest,
  type GenerateResponse,
  SPECIFICATION_VERSION,
  type Usage,
} from './spec.ts'

export interface AnthropicSettings extends ProviderSettings {}

const DEFAULT_MAX_OUTPUT_TOKENS = 4096

type AnthropicClass = typeof Anthropic
const loadAnthropic = lazySdk<AnthropicClass>(
  '@anthropic-ai/sdk',
  async () => (await import('@anthropic-ai/sdk')).default,
)

const messageSchema = z.object({
  content: z.array(z.object({ type: z.string().optional(), text: z.string().optional() }).passthrough()),
  stop_reason: z.string().nullable().optional(),
  // Some Messages-API servers (proxies, local gateways) leave usage out; count zero then.
  usage: z
    .object({
      input_tokens: z.number().optional(),
      output_tokens: z.number().optional(),
      cache_read_input_tokens: z.number().nullable().optional(),
      cache_creation_input_tokens: z.number().nullable().optional(),
    })
    .optional(),
})

export function mapAnthropicStopReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop'
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length'
    case 'refusal':
      return 'content-filter'
    default:
      return 'other'
  }
}

/** The Messages API body: system prompt in `system`, user/assistant turns merged to alternate. */
export function toAnthropicBody(modelId: string, request: GenerateRequest, defaultMaxTokens: number) {
  const system: string[] = []
  const messages: { role: 'user' | 'assistant'; content: string }[] = []
  for (const m of request.messages) {
    if (m.role === 'system') system.push(m.content)
    else {
      const last = messages[messages.length - 1]
      if (last && last.role === m.role) last.content += `\n\n${m.content}`
      else messages.push({ role: m.role, content: m.content })
    }
  }
  const body: Record<string, unknown> = {
    model: modelId,
    max_tokens: request.maxOutputTokens ?? defaultMaxTokens,
    messages,
  }
  if (system.length > 0) body.system = system.join('\n\n')
  if (request.temperature !== undefined) body.temperature = request.temperature
  if (request.stop !== undefined && request.stop.length > 0) body.stop_sequences = request.stop
  return body
}

/** Anthropic's API. Key from `apiKey` or ANTHROPIC_API_KEY (read at call time). */
export function createAnthropic(settings: AnthropicSettings = {}): ProviderModel {
  const s = parseSettings(providerSettingsSchema, settings, 'createAnthropic') as AnthropicSettings
  // The SDK appends /v1/messages itself; accept a base URL that already ends in /v1.
  const baseURL = (s.baseURL ?? 'https://api.anthropic.com').replace(/\/v1\/?$/, '')
  const timeoutMs = s.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const ctx = { provider: 'anthropic', baseURL, apiKeyEnv: PROVIDER_KEY_ENV.anthropic }
  const client = clientPerKey(
    (key, AnthropicSdk: AnthropicClass) =>
      new AnthropicSdk({
        apiKey: key,
        baseURL,
        // This SDK sends the key as a bearer token; x-api-key is the header the Messages API
        // documents, so servers written to the docs (proxies, gateways) find it too.
        defaultHeaders: { 'x-api-key': key, ...s.headers },
        fetch: s.fetch ?? defaultFetch(),
        maxRetries: 0,
        timeout: timeoutMs,
        logLevel: 'off',
        openTelemetry: false,
      }),
  )
  return buildProvider(s, 'anthropic', 'claude-haiku-4-5', (modelId, facts) => {
    const errCtx = { ...ctx, modelId }
    return {
      specificationVersion: SPECIFICATION_VERSION,
      provider: 'anthropic',
      modelId,
      contextWindow: facts.contextWindow,
      price: facts.price,
      async generate(request): Promise<GenerateResponse> {
        const key = readApiKey(s.apiKey, ctx.apiKeyEnv, ctx)
        const sdk = client(key, await loadAnthropic())
        const body = toAnthropicBody(modelId, request, s.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS)
        const startedAt = Date.now()
        const t0 = performance.now()
        let raw: unknown
        try {
          // biome-ignore lint/suspicious/noExplicitAny: the body is built to the Messages API shape above.
          raw = await sdk.messages.create(body as any, { signal: request.abortSignal, timeout: timeoutMs })
        } catch (err) {
          throw mapProviderError(err, errCtx, { signal: request.abortSignal, timeoutMs })
        }
        const durationMs = performance.now() - t0
        const parsed = messageSchema.safeParse(raw)
        if (!parsed.success) {
          throw badResponseError(errCtx, formatIssues(parsed.error.issues, { root: 'body' }), raw)
        }
        const u = parsed.data.usage ?? {}
        const cachedRead = u.cache_read_input_tokens ?? 0
        // Anthropic reports cache reads and writes apart from input_tokens; the spec counts all input.
        const usage: Usage = {
          inputTokens: (u.input_tokens ?? 0) + cachedRead + (u.cache_creation_input_tokens ?? 0),
          outputTokens: u.output_tokens ?? 0,
        }
        if (u.cache_read_input_tokens != null) usage.cachedInputTokens = cachedRead
        const text = parsed.data.content
          .filter((b) => b.type === 'text' || (b.type === undefined && typeof b.text === 'string'))
          .map((b) => b.text ?? '')
          .join('')
        return {
          text,
          usage,
          finishReason: mapAnthropicStopReason(parsed.data.stop_reason),
          costUsd: computeCost(usage, facts.price),
          raw,
          timing: { startedAt, durationMs },
        }
      },
    }
  })
}
