// An RLM as an AI SDK language model: generateText / streamText over it run the RLM on the
// prompt (see prompt-to-run.ts) and return its answer, the tree's usage and the run summary.
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
} from '@ai-sdk/provider'
import { createRlm, type Rlm, type RlmConfigInput, type RlmEvent, type RlmResult } from '@rlm/engine'
import { promptToRun } from './prompt-to-run.ts'
import { runFinishReason, runSummary, runUsage, throwIfFailed } from './run-summary.ts'

export interface RlmLanguageModelConfig extends RlmConfigInput {
  /** Reported as the model id (default 'rlm'). */
  modelId?: string
}

function run(
  rlm: Rlm,
  options: LanguageModelV4CallOptions,
  onEvent?: (e: RlmEvent) => void,
): Promise<RlmResult> {
  const { query, context } = promptToRun(options)
  return rlm.run({
    query,
    ...(context === undefined ? {} : { context }),
    ...(options.abortSignal ? { signal: options.abortSignal } : {}),
    ...(onEvent ? { onEvent } : {}),
  })
}

function generated(result: RlmResult): LanguageModelV4GenerateResult {
  throwIfFailed(result)
  return {
    content: [{ type: 'text', text: result.answer }],
    finishReason: runFinishReason(result),
    usage: runUsage(result),
    providerMetadata: { rlm: runSummary(result) },
    warnings: [],
    response: { id: result.runId },
  }
}

function streamed(rlm: Rlm, options: LanguageModelV4CallOptions): ReadableStream<LanguageModelV4StreamPart> {
  return new ReadableStream<LanguageModelV4StreamPart>({
    async start(controller) {
      controller.enqueue({ type: 'stream-start', warnings: [] })
      try {
        // Progress as raw parts: the SDK hands them to callers who set includeRawChunks.
        const result = await run(rlm, options, (event) =>
          controller.enqueue({ type: 'raw', rawValue: event }),
        )
        throwIfFailed(result)
        controller.enqueue({ type: 'response-metadata', id: result.runId })
        controller.enqueue({ type: 'text-start', id: 'answer' })
        // The answer exists whole only at the end; paragraphs keep deltas readable as they arrive.
        for (const piece of result.answer.split(/(?<=\n\n)/)) {
          if (piece !== '') controller.enqueue({ type: 'text-delta', id: 'answer', delta: piece })
        }
        controller.enqueue({ type: 'text-end', id: 'answer' })
        controller.enqueue({
          type: 'finish',
          usage: runUsage(result),
          finishReason: runFinishReason(result),
          providerMetadata: { rlm: runSummary(result) },
        })
      } catch (error) {
        controller.enqueue({ type: 'error', error })
      }
      controller.close()
    },
  })
}

export function rlmLanguageModel(config: RlmLanguageModelConfig): LanguageModelV4 {
  const { modelId = 'rlm', ...rlmConfig } = config
  const rlm = createRlm(rlmConfig)
  return {
    specificationVersion: 'v4',
    provider: 'rlm',
    modelId,
    supportedUrls: {},
    async doGenerate(options) {
      return generated(await run(rlm, options))
    },
    async doStream(options): Promise<LanguageModelV4StreamResult> {
      return { stream: streamed(rlm, options) }
    },
  }
}
