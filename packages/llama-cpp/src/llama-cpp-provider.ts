// The provider factory resolveModel calls for 'llama-cpp:<path to .gguf>': the path comes from
// the model id, the llama.cpp settings a command line cannot carry from the environment, read at
// call time.

import { configError } from './llama-cpp-errors.ts'
import { createLlamaCpp, type LlamaCppModel } from './llama-cpp-model.ts'
import type { GpuChoice, LlamaCppSettings } from './llama-cpp-settings.ts'

/** Environment variables read by the factory, each → its createLlamaCpp setting. */
export const LLAMA_CPP_ENV = {
  gpu: 'RLM_LLAMA_CPP_GPU',
  gpuLayers: 'RLM_LLAMA_CPP_GPU_LAYERS',
  contextSize: 'RLM_LLAMA_CPP_CONTEXT_SIZE',
  threads: 'RLM_LLAMA_CPP_THREADS',
  parallel: 'RLM_LLAMA_CPP_PARALLEL',
  grammar: 'RLM_LLAMA_CPP_GRAMMAR',
} as const

function envSettings(modelPath: string, env: NodeJS.ProcessEnv): Partial<LlamaCppSettings> {
  const out: Partial<LlamaCppSettings> = {}
  for (const [key, name] of Object.entries(LLAMA_CPP_ENV) as [keyof typeof LLAMA_CPP_ENV, string][]) {
    const raw = env[name]?.trim()
    if (!raw) continue
    if (key === 'gpu') {
      out.gpu = (raw === 'false' ? false : raw) as GpuChoice
      continue
    }
    if (key === 'grammar') {
      out.grammar = raw
      continue
    }
    const n = Number(raw)
    if (!Number.isInteger(n)) throw configError(modelPath, `${name} must be a whole number, got '${raw}'.`)
    out[key] = n
  }
  return out
}

/** What resolveModel calls: `model` is the part of the id after 'llama-cpp:'. */
export async function createProvider(settings: { model: string }): Promise<LlamaCppModel> {
  return createLlamaCpp({ ...envSettings(settings.model, process.env), modelPath: settings.model })
}
