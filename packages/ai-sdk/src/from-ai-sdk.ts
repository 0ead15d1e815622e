// Wraps any AI SDK language model (LanguageModelV4, and V3/V2 where the SDK accepts them) as an
// rlm spec model, usable as `model` / `subModel` in createRlm. The SDK's generateText does the
// prompt conversion and version bridging; rlm keeps retries, limits and cost accounting.
import {
  computeCost,
  type GenerateRequest,
  type GenerateResponse,
  lookupModel,
  type ModelPrice,
  type FinishReason as RlmFinishReason,
  type LanguageModel as RlmLanguageModel,
  SPECIFICATION_VERSION,
} from '@rlm/providers'
import { type LanguageModel as AiSdkLanguageModel, type FinishReason, generateText } from 'ai'
import { mapAiSdkError } from './ai-sdk-errors.ts'

export type AiSdkModel = Exclude<AiSdkLanguageModel, string>

export interface FromAiSdkOptions {
  /** USD per million tokens; defaults to rlm's catalog entry for this provider and model. */
  price?: ModelPrice
  /** Context window in tokens; defaults to rlm's catalog entry. */
  contextWindow?: number
  /** Provider name for ids, errors and the catalog; defaults to the SDK's ('openai.chat' → 'openai'). */
  provider?: string
}

/** 'openai.chat' / 'google.generative-ai' → 'openai' / 'google': the catalog's provider names. */
export function providerName(sdkProvider: string): string {
  return sdkProvider.split('.')[0] || sdkProvider
}

function finishReason(reason: FinishReason): RlmFinishReason {
  switch (reason) {
    case 'stop':
    case 'length':
    case 'content-filter':
    case 'error':
      return reason
    default:
      return 'other'
  }
}

export function fromAiSdk(model: AiSdkModel, options: FromAiSdkOptions = {}): RlmLanguageModel {
  const provider = options.provider ?? providerName(model.provider)
  const modelId = model.modelId
  const catalog = lookupModel(provider, modelId)
  const price = options.price ?? catalog.price
  const ctx = { provider, modelId }
  return {
    specificationVersion: SPECIFICATION_VERSION,
    provider,
    modelId,
    contextWindow: options.contextWindow ?? catalog.contextWindow,
    price,
    async generate(request: GenerateRequest): Promise<GenerateResponse> {
      const startedAt = Date.now()
      try {
        const result = await generateText({
          model,
          messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
          // rlm's system prompt travels as a message, in its place in the conversation.
          allowSystemInMessages: true,
          maxOutputTokens: request.maxOutputTokens,
          temperature: request.temperature,
          stopSequences: request.stop,
          abortSignal: request.abortSignal,
          // Retries are rlm's layer (withRetry), as for the built-in providers.
          maxRetries: 0,
        })
        const cachedInputTokens = result.usage.inputTokenDetails?.cacheReadTokens
        const usage = {
          inputTokens: result.usage.inputTokens ?? 0,
          outputTokens: result.usage.outputTokens ?? 0,
          ...(cachedInputTokens === undefined ? {} : { cachedInputTokens }),
        }
        return {
          text: result.text,
          usage,
          finishReason: finishReason(result.finishReason),
          costUsd: computeCost(usage, price),
          // Some providers (and mocks) keep no body: the response metadata stands in.
          raw: result.response.body ?? result.response,
          timing: { startedAt, durationMs: Date.now() - startedAt },
        }
      } catch (err) {
        throw mapAiSdkError(err, ctx, request.abortSignal)
      }
    },
  }
}
