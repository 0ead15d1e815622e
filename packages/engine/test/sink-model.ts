// A sub-model for memory tests and benchmarks: answers "ok" after `latencyMs` and keeps nothing
// (createScripted records every request, which would hold every prompt).
import type { LanguageModel } from '../src/model-spec.ts'

export function createSink(latencyMs: number): LanguageModel {
  return {
    specificationVersion: 'v1',
    provider: 'test',
    modelId: 'sink',
    contextWindow: undefined,
    async generate() {
      await new Promise((r) => setTimeout(r, latencyMs))
      return {
        text: 'ok',
        usage: { inputTokens: 1, outputTokens: 1 },
        finishReason: 'stop',
        costUsd: undefined,
        raw: null,
        timing: { startedAt: Date.now(), durationMs: latencyMs },
      }
    },
  }
}
