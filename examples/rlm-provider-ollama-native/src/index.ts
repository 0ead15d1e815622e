// rlm-provider-ollama-native: an example third-party rlm provider package. rlm loads it by name
// ('rlm-provider-ollama-native:llama3.2') and calls the default export with the settings.
import type { LanguageModel } from '@rlm/providers'
import { createOllamaNative, type OllamaNativeSettings } from './ollama-chat-model.ts'

export { createOllamaNative, type OllamaNativeSettings } from './ollama-chat-model.ts'
export { ollamaNativeWire } from './ollama-native-wire.ts'

/** The provider factory rlm's resolveModel looks for. */
export default function createProvider(settings: OllamaNativeSettings): LanguageModel {
  return createOllamaNative(settings)
}
