// The engine's names for the @rlm/spec types it calls models with. The spec package owns them
// (no dependencies, no SDKs), so a provider's shape change is a compile error here.

export type {
  GenerateResponse as ModelResponse,
  LanguageModel,
  Message as ModelMessage,
} from '@rlm/spec'
