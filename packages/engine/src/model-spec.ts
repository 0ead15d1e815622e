// The slice of the @rlm/providers model spec the engine relies on, as structural types: any
// spec model (built-in, third-party or scripted) satisfies it without the engine importing SDKs.

export interface ModelMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

export interface ModelRequest {
  messages: ModelMessage[]
  maxOutputTokens?: number
  temperature?: number
  stop?: string[]
  abortSignal?: AbortSignal
}

export interface ModelResponse {
  text: string
  usage: { inputTokens: number; outputTokens: number; cachedInputTokens?: number }
  costUsd?: number | undefined
  cached?: boolean
}

export interface LanguageModel {
  readonly specificationVersion: string
  readonly provider: string
  readonly modelId: string
  readonly contextWindow: number | undefined
  /** USD per million tokens; needed to run under maxCostUsd. */
  readonly price?:
    | { inputPerMillion: number; outputPerMillion: number; cachedInputPerMillion?: number }
    | undefined
  generate(request: ModelRequest): Promise<ModelResponse>
}
