// @rlm/ai-sdk: bridges between rlm and the Vercel AI SDK, both ways.
export { mapAiSdkError } from './ai-sdk-errors.ts'
export { type AiSdkProviderLike, aiSdkProvider } from './ai-sdk-provider.ts'
export { type AiSdkModel, type FromAiSdkOptions, fromAiSdk, providerName } from './from-ai-sdk.ts'
export { type RlmLanguageModelConfig, rlmLanguageModel } from './rlm-language-model.ts'
export {
  type RlmToolConfig,
  type RlmToolInput,
  type RlmToolOutput,
  rlmTool,
  rlmToolInputSchema,
} from './rlm-tool.ts'
