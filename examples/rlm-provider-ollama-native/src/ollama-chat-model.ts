// A spec model over Ollama's native chat API (POST /api/chat, stream: false): plain fetch, no
// SDK, errors mapped with the helpers @rlm/providers exports for third-party providers.
import {
  badResponseError,
  errorFromStatus,
  type GenerateRequest,
  type GenerateResponse,
  type LanguageModel,
  mapProviderError,
  SPECIFICATION_VERSION,
} from '@rlm/providers'
import { z } from 'zod'

export interface OllamaNativeSettings {
  /** Server origin (default http://localhost:11434). */
  baseURL?: string
  /** Model tag, e.g. 'llama3.2:3b' (default mistral:7b). */
  model?: string
  /** Sent as a bearer token, for servers behind an authenticating proxy. */
  apiKey?: string
  headers?: Record<string, string>
  fetch?: typeof globalThis.fetch
  /** Context length to ask Ollama for (its `num_ctx` option); reported as contextWindow. */
  contextWindow?: number
}

const settingsSchema = z.object({
  baseURL: z.url().optional(),
  model: z.string().min(1).optional(),
  apiKey: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  fetch: z.custom<typeof globalThis.fetch>((v) => typeof v === 'function').optional(),
  contextWindow: z.number().int().positive().optional(),
})

const chatResponseSchema = z.object({
  message: z.object({ role: z.string(), content: z.string() }),
  done: z.boolean().optional(),
  done_reason: z.string().optional(),
  prompt_eval_count: z.number().optional(),
  eval_count: z.number().optional(),
})

function toBody(
  model: string,
  request: GenerateRequest,
  numCtx: number | undefined,
): Record<string, unknown> {
  const options: Record<string, unknown> = {}
  if (request.temperature !== undefined) options.temperature = request.temperature
  if (request.maxOutputTokens !== undefined) options.num_predict = request.maxOutputTokens
  if (request.stop !== undefined && request.stop.length > 0) options.stop = request.stop
  if (numCtx !== undefined) options.num_ctx = numCtx
  return { model, messages: request.messages, stream: false, options }
}

export function createOllamaNative(input: OllamaNativeSettings = {}): LanguageModel {
  const settings = settingsSchema.parse(input) as OllamaNativeSettings
  const baseURL = (settings.baseURL ?? 'http://localhost:11434').replace(/\/+$/, '')
  const modelId = settings.model ?? 'mistral:7b'
  const doFetch = settings.fetch ?? globalThis.fetch
  const ctx = {
    provider: 'ollama-native',
    modelId,
    baseURL,
    unavailableHint: `is Ollama running at ${baseURL}? Start it with \`ollama serve\`.`,
  }
  return {
    specificationVersion: SPECIFICATION_VERSION,
    provider: 'ollama-native',
    modelId,
    contextWindow: settings.contextWindow,
    async generate(request): Promise<GenerateResponse> {
      const startedAt = Date.now()
      const t0 = performance.now()
      let response: Response
      let text: string
      try {
        response = await doFetch(`${baseURL}/api/chat`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
            ...settings.headers,
          },
          body: JSON.stringify(toBody(modelId, request, settings.contextWindow)),
          signal: request.abortSignal,
        })
        text = await response.text()
      } catch (err) {
        throw mapProviderError(err, ctx, { signal: request.abortSignal })
      }
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch (err) {
        if (!response.ok) throw errorFromStatus(response.status, text, response.headers, ctx)
        throw badResponseError(ctx, 'the body is not valid JSON', text, err)
      }
      if (!response.ok) throw errorFromStatus(response.status, body, response.headers, ctx)
      const parsed = chatResponseSchema.safeParse(body)
      if (!parsed.success)
        throw badResponseError(ctx, parsed.error.issues[0]?.message ?? 'unexpected shape', body)
      const usage = {
        inputTokens: parsed.data.prompt_eval_count ?? 0,
        outputTokens: parsed.data.eval_count ?? 0,
      }
      return {
        text: parsed.data.message.content,
        usage,
        finishReason:
          parsed.data.done_reason === 'length'
            ? 'length'
            : parsed.data.done_reason === 'stop'
              ? 'stop'
              : 'other',
        // A local server charges nothing per token.
        costUsd: 0,
        raw: body,
        timing: { startedAt, durationMs: performance.now() - t0 },
      }
    },
  }
}
