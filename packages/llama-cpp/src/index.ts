// @rlm/llama-cpp: rlm's root and sub-models in-process from a GGUF file with llama.cpp. rlm loads
// it for 'llama-cpp:<path to .gguf>' model ids and calls the default export with the settings.
import { createProvider } from './llama-cpp-provider.ts'

export { createLlamaCpp, type LlamaCppModel } from './llama-cpp-model.ts'
export { createProvider, LLAMA_CPP_ENV } from './llama-cpp-provider.ts'
export { GPU_CHOICES, type GpuChoice, type LlamaCppSettings } from './llama-cpp-settings.ts'

export default createProvider
