// The offline sub-model: a spec LanguageModel that answers question prompts by reading only
// the text inside them (see text-reader.ts). It keeps no copy of the prompts it receives, so
// fan-outs over 400 MB contexts do not pile up in memory.
import { type GenerateResponse, type LanguageModel, SPECIFICATION_VERSION } from '@rlm/providers'
import { parseQuestionPrompt } from '../question-prompt.ts'
import { CHARS_PER_TOKEN } from '../task.ts'
import { answerFromText } from './text-reader.ts'

export interface OfflineReaderOptions {
  /** Window reported to the runner, used to truncate the direct baseline (default 128,000 tokens). */
  contextWindow?: number
}

export function createOfflineReaderModel(options: OfflineReaderOptions = {}): LanguageModel {
  return {
    specificationVersion: SPECIFICATION_VERSION,
    provider: 'offline',
    modelId: 'reader',
    contextWindow: options.contextWindow ?? 128_000,
    async generate(request): Promise<GenerateResponse> {
      const startedAt = Date.now()
      const t0 = performance.now()
      request.abortSignal?.throwIfAborted()
      const prompt = [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? ''
      const parsed = parseQuestionPrompt(prompt)
      const text = parsed ? answerFromText(parsed.question, parsed.text) : 'NOT FOUND'
      const inputChars = request.messages.reduce((sum, m) => sum + m.content.length, 0)
      return {
        text,
        usage: {
          inputTokens: Math.ceil(inputChars / CHARS_PER_TOKEN),
          outputTokens: Math.ceil(text.length / CHARS_PER_TOKEN),
        },
        finishReason: 'stop',
        costUsd: 0,
        raw: null,
        timing: { startedAt, durationMs: performance.now() - t0 },
      }
    },
  }
}
