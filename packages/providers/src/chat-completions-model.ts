// A raw (unwrapped) spec model over any Stainless-style SDK client exposing
// `chat.completions.create(body, { signal, timeout })`: the openai and groq-sdk clients.
import { parseChatCompletion, toChatCompletionBody } from './convert-chat-completion.ts'
import { computeCost, type ModelPrice } from './model-catalog.ts'
import { badResponseError, mapProviderError, type ProviderErrorContext } from './provider-errors.ts'
import { type GenerateResponse, type LanguageModel, SPECIFICATION_VERSION } from './spec.ts'

export interface ChatCompletionsClient {
  chat: {
    completions: {
      // biome-ignore lint/suspicious/noExplicitAny: each SDK types its own body; we build a plain one.
      create(body: any, options?: { signal?: AbortSignal; timeout?: number }): PromiseLike<unknown>
    }
  }
}

export interface ChatCompletionsModelConfig {
  provider: string
  modelId: string
  contextWindow: number | undefined
  price: ModelPrice | undefined
  timeoutMs: number
  /** Name of the output-budget field: OpenAI wants max_completion_tokens, most others max_tokens. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens'
  errorContext: ProviderErrorContext
  /** Returns a client for the key that is current now (keys are read at call time; the SDK loads on first use). */
  client(): ChatCompletionsClient | Promise<ChatCompletionsClient>
}

export function createChatCompletionsModel(config: ChatCompletionsModelConfig): LanguageModel {
  const ctx = { ...config.errorContext, modelId: config.modelId }
  return {
    specificationVersion: SPECIFICATION_VERSION,
    provider: config.provider,
    modelId: config.modelId,
    contextWindow: config.contextWindow,
    price: config.price,
    async generate(request): Promise<GenerateResponse> {
      const client = await config.client()
      const body = toChatCompletionBody(config.modelId, request)
      if (config.maxTokensField === 'max_completion_tokens' && body.max_tokens !== undefined) {
        body.max_completion_tokens = body.max_tokens
        delete body.max_tokens
      }
      const startedAt = Date.now()
      const t0 = performance.now()
      let raw: unknown
      try {
        raw = await client.chat.completions.create(body, {
          signal: request.abortSignal,
          timeout: config.timeoutMs,
        })
      } catch (err) {
        throw mapProviderError(err, ctx, { signal: request.abortSignal, timeoutMs: config.timeoutMs })
      }
      const durationMs = performance.now() - t0
      const parsed = parseChatCompletion(raw)
      if (!parsed.ok) throw badResponseError(ctx, parsed.problem, raw)
      return {
        text: parsed.text,
        usage: parsed.usage,
        finishReason: parsed.finishReason,
        costUsd: computeCost(parsed.usage, config.price),
        raw,
        timing: { startedAt, durationMs },
      }
    },
  }
}
