// AI SDK test models (MockLanguageModelV4 from ai/test) that reply with fixed text and usage.
import type { LanguageModelV4GenerateResult } from '@ai-sdk/provider'
import { MockLanguageModelV4 } from 'ai/test'

export function reply(
  text: string,
  usage: { input?: number; output?: number; cacheRead?: number } = {},
  finish: LanguageModelV4GenerateResult['finishReason']['unified'] = 'stop',
): LanguageModelV4GenerateResult {
  const input = usage.input ?? 10
  return {
    content: [{ type: 'text', text }],
    finishReason: { unified: finish, raw: finish },
    usage: {
      inputTokens: {
        total: input,
        noCache: input - (usage.cacheRead ?? 0),
        cacheRead: usage.cacheRead,
        cacheWrite: undefined,
      },
      outputTokens: { total: usage.output ?? 5, text: usage.output ?? 5, reasoning: undefined },
    },
    warnings: [],
  }
}

export function mockModel(
  replies: LanguageModelV4GenerateResult[],
  ids = { provider: 'openai.chat', modelId: 'gpt-4o-mini' },
) {
  return new MockLanguageModelV4({ ...ids, doGenerate: replies })
}
