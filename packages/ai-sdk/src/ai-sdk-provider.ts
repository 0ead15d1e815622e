// Lets resolveModel's `providers` option resolve 'ai-sdk:<provider>:<model>' ids through AI SDK
// providers the user registers, e.g. { 'ai-sdk': aiSdkProvider({ google, mistral }) }.
import { RlmError } from '@rlm/errors'
import type { ProviderFactory } from '@rlm/providers'
import { type AiSdkModel, type FromAiSdkOptions, fromAiSdk } from './from-ai-sdk.ts'

/** An AI SDK provider instance (`google`, `createOpenAI(...)`) or any function from id to model. */
export type AiSdkProviderLike =
  | ((modelId: string) => AiSdkModel)
  | { languageModel(modelId: string): AiSdkModel }

export function aiSdkProvider(
  providers: Record<string, AiSdkProviderLike>,
  options: Omit<FromAiSdkOptions, 'provider'> = {},
): ProviderFactory {
  return ({ model: id }) => {
    const colon = id.indexOf(':')
    const name = colon > 0 ? id.slice(0, colon) : ''
    const modelId = id.slice(colon + 1)
    const provider = Object.hasOwn(providers, name) ? providers[name] : undefined
    if (!provider || modelId === '') {
      const known = Object.keys(providers).join(', ') || 'none'
      throw new RlmError(
        'E_CONFIG',
        `expected 'ai-sdk:<provider>:<model>' with a registered AI SDK provider (registered: ${known}), got 'ai-sdk:${id}'.`,
      )
    }
    const made = typeof provider === 'function' ? provider(modelId) : provider.languageModel(modelId)
    return fromAiSdk(made, { ...options, provider: name })
  }
}
