// createLlamaCpp: a spec LanguageModel that runs a GGUF file in this process with llama.cpp.
// It loads the runtime, the model (shared per file) and one context of `parallel` sequences,
// and reports the window it really has; generate() formats the messages with the file's chat
// template, checks the window, waits for a free sequence and samples the reply.
import {
  type GenerateRequest,
  type GenerateResponse,
  type LanguageModel,
  SPECIFICATION_VERSION,
} from '@rlm/spec'
import type { ChatWrapper, LlamaChat, LlamaContext, LlamaGrammar, LlamaModel } from 'node-llama-cpp'
import { describeBackend } from './backend-description.ts'
import { chatWrapperFor, promptTokenCount, toChatHistory } from './chat-template.ts'
import {
  abortedError,
  configError,
  contextWindowError,
  generationError,
  PROVIDER,
} from './llama-cpp-errors.ts'
import { type LlamaCppSettings, parseSettings } from './llama-cpp-settings.ts'
import { existingModelFile, llamaFor, loadModel } from './llama-runtime.ts'
import { createSequencePool, type SequencePool } from './sequence-pool.ts'

/** A spec model backed by llama.cpp; `backend` says where it runs (for `rlm doctor`). */
export interface LlamaCppModel extends LanguageModel {
  readonly backend: string
}

interface Runner {
  settings: LlamaCppSettings
  model: LlamaModel
  context: LlamaContext
  chatWrapper: ChatWrapper
  grammar: LlamaGrammar | undefined
  pool: SequencePool
}

export async function createLlamaCpp(input: LlamaCppSettings): Promise<LlamaCppModel> {
  const settings = parseSettings(input)
  const absolutePath = existingModelFile(settings.modelPath)
  const llama = await llamaFor(settings.gpu ?? 'auto', settings.modelPath)
  const model = await loadModel({ llama, absolutePath, gpuLayers: settings.gpuLayers })
  const grammar = settings.grammar === undefined ? undefined : await parseGrammar(model, settings)
  const context = await createContext(model, settings)
  const chatWrapper = chatWrapperFor(model)
  const runner: Runner = {
    settings,
    model,
    context,
    chatWrapper,
    grammar,
    pool: createSequencePool(context, chatWrapper),
  }
  return {
    specificationVersion: SPECIFICATION_VERSION,
    provider: PROVIDER,
    modelId: settings.modelPath,
    contextWindow: context.contextSize,
    // Local inference bills nothing per token, so a run may carry a cost budget.
    price: { inputPerMillion: 0, outputPerMillion: 0 },
    backend: await describeBackend(llama, model, context, chatWrapper),
    generate: (request) => generate(runner, request),
  }
}

async function parseGrammar(model: LlamaModel, settings: LlamaCppSettings): Promise<LlamaGrammar> {
  try {
    return await model.llama.createGrammar({ grammar: settings.grammar ?? '' })
  } catch (err) {
    throw configError(
      settings.modelPath,
      `The grammar is not valid GBNF (${(err as Error).message}): see llama.cpp's grammars/README.md.`,
      err,
    )
  }
}

async function createContext(model: LlamaModel, settings: LlamaCppSettings): Promise<LlamaContext> {
  const trained = model.trainContextSize
  try {
    return await model.createContext({
      // Never past what the file says the model was trained on; 'auto' fits it to free memory.
      contextSize: settings.contextSize === undefined ? 'auto' : Math.min(settings.contextSize, trained),
      sequences: settings.parallel ?? 1,
      ...(settings.threads !== undefined && { threads: settings.threads }),
      ...(settings.seed !== undefined && { seed: settings.seed }),
    })
  } catch (err) {
    throw configError(
      settings.modelPath,
      `llama.cpp could not make a context for ${settings.modelPath} (${(err as Error).message}): lower contextSize or parallel, or free memory.`,
      err,
    )
  }
}

const FINISH_REASONS = {
  eogToken: 'stop',
  stopGenerationTrigger: 'stop',
  customStopTrigger: 'stop',
  maxTokens: 'length',
} as const

async function generate(runner: Runner, request: GenerateRequest): Promise<GenerateResponse> {
  const { settings, model, context, chatWrapper, pool } = runner
  const path = settings.modelPath
  const signal = request.abortSignal
  const startedAt = Date.now()
  const t0 = performance.now()
  const history = toChatHistory(request.messages)
  const inputTokens = promptTokenCount(model, chatWrapper, history)
  const window = context.contextSize
  if (inputTokens >= window) throw contextWindowError(path, inputTokens, window)
  const room = window - inputTokens
  const chat: LlamaChat = await pool.acquire(signal, () => abortedError(path, signal?.reason))
  let outputTokens = 0
  try {
    const temperature = request.temperature ?? settings.temperature
    const result = await chat.generateResponse(history, {
      // Within the window, so llama.cpp never shifts the prompt out from under the reply.
      maxTokens: Math.min(request.maxOutputTokens ?? settings.maxOutputTokens ?? room, room),
      ...(temperature !== undefined && { temperature }),
      ...(settings.seed !== undefined && { seed: settings.seed }),
      ...(runner.grammar && { grammar: runner.grammar }),
      ...(request.stop?.length && { customStopTriggers: request.stop }),
      ...(signal && { signal }),
      stopOnAbortSignal: false,
      onToken: (tokens) => {
        outputTokens += tokens.length
      },
    })
    const stopReason = result.metadata.stopReason
    if (stopReason === 'abort') throw abortedError(path, signal?.reason)
    return {
      text: result.response,
      usage: { inputTokens, outputTokens },
      finishReason: FINISH_REASONS[stopReason as keyof typeof FINISH_REASONS] ?? 'other',
      costUsd: 0,
      raw: { stopReason, chatWrapper: chatWrapper.wrapperName, contextSize: window },
      timing: { startedAt, durationMs: performance.now() - t0 },
    }
  } catch (err) {
    throw generationError(path, err, signal)
  } finally {
    pool.release(chat)
  }
}
