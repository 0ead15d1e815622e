// A deterministic spec model for tests, demos and benchmarks: replies come from a list or a
// function of the request, optionally after a delay, and every request is recorded.
import { RlmError } from '@rlm/errors'
import { computeCost } from './model-catalog.ts'
import { abortError } from './provider-errors.ts'
import {
  type FinishReason,
  type GenerateRequest,
  type GenerateResponse,
  type LanguageModel,
  type ModelPrice,
  SPECIFICATION_VERSION,
  type Usage,
} from './spec.ts'

export type ScriptedReply =
  | string
  | { text: string; usage?: Partial<Usage>; finishReason?: FinishReason; costUsd?: number }
  /** Thrown instead of answering, e.g. an RlmError with a provider code. */
  | Error

export type ScriptedReplies =
  | ScriptedReply[]
  | ((request: GenerateRequest, index: number) => ScriptedReply | Promise<ScriptedReply>)

export interface ScriptedOptions {
  latencyMs?: number
  provider?: string
  modelId?: string
  contextWindow?: number
  /** A price makes the scripted model usable under `maxCostUsd` (cost from the usage it reports). */
  price?: ModelPrice
}

export interface ScriptedModel extends LanguageModel {
  /** Every request received, in order (abortSignal left out). */
  readonly requests: GenerateRequest[]
}

const countTokens = (s: string): number => Math.ceil(s.length / 4)

export function createScripted(replies: ScriptedReplies, options: ScriptedOptions = {}): ScriptedModel {
  const requests: GenerateRequest[] = []
  const provider = options.provider ?? 'scripted'
  return {
    specificationVersion: SPECIFICATION_VERSION,
    provider,
    modelId: options.modelId ?? 'scripted',
    contextWindow: options.contextWindow,
    ...(options.price && { price: options.price }),
    requests,
    async generate(request): Promise<GenerateResponse> {
      const { abortSignal, ...recorded } = request
      const index = requests.length
      requests.push(structuredClone(recorded))
      const startedAt = Date.now()
      const t0 = performance.now()
      if (abortSignal?.aborted) throw abortError({ provider }, abortSignal.reason)
      if (options.latencyMs) await delay(options.latencyMs, abortSignal, provider)
      let reply: ScriptedReply | undefined
      if (typeof replies === 'function') reply = await replies(request, index)
      else {
        reply = replies[index]
        if (reply === undefined) {
          throw new RlmError(
            'E_CONFIG',
            `The scripted model has ${replies.length} replies but got request #${index + 1}; script more replies.`,
            { details: { provider, requests: index + 1 } },
          )
        }
      }
      if (reply instanceof Error) throw reply
      const r = typeof reply === 'string' ? { text: reply } : reply
      const usage: Usage = {
        inputTokens: r.usage?.inputTokens ?? countTokens(request.messages.map((m) => m.content).join('\n')),
        outputTokens: r.usage?.outputTokens ?? countTokens(r.text),
      }
      if (r.usage?.cachedInputTokens !== undefined) usage.cachedInputTokens = r.usage.cachedInputTokens
      return {
        text: r.text,
        usage,
        finishReason: r.finishReason ?? 'stop',
        costUsd: r.costUsd ?? (options.price ? computeCost(usage, options.price) : 0),
        raw: reply,
        timing: { startedAt, durationMs: performance.now() - t0 },
      }
    },
  }
}

function delay(ms: number, signal: AbortSignal | undefined, provider: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(abortError({ provider }, signal?.reason))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
