// The language-model spec: the whole contract a provider implements, as plain types.
// Built-in providers implement it exactly as a third-party package would; nothing here
// depends on any vendor SDK.

export const SPECIFICATION_VERSION = 'v1' as const

/** USD per million tokens, as vendors publish them. */
export interface ModelPrice {
  inputPerMillion: number
  outputPerMillion: number
  /** Price of input tokens served from the provider's prompt cache; defaults to the input price. */
  cachedInputPerMillion?: number
}

export type Role = 'system' | 'user' | 'assistant'

export interface Message {
  role: Role
  content: string
}

export interface GenerateRequest {
  messages: Message[]
  maxOutputTokens?: number
  temperature?: number
  stop?: string[]
  abortSignal?: AbortSignal
}

export interface Usage {
  inputTokens: number
  outputTokens: number
  /** Input tokens served from the provider's prompt cache, when the provider reports them. */
  cachedInputTokens?: number
}

export type FinishReason = 'stop' | 'length' | 'content-filter' | 'error' | 'other'

export interface GenerateResponse {
  text: string
  usage: Usage
  finishReason: FinishReason
  /** Cost from the price table; undefined when the price is unknown (never a guess). */
  costUsd: number | undefined
  /** The provider's own response body, untouched. */
  raw: unknown
  timing: { startedAt: number; durationMs: number }
  /** True when the response came from the response cache, not the provider. */
  cached?: boolean
}

export interface LanguageModel {
  readonly specificationVersion: typeof SPECIFICATION_VERSION
  /** Provider name as used in model ids, e.g. 'openai', 'groq', 'ollama'. */
  readonly provider: string
  readonly modelId: string
  /** Context window in tokens, when known. */
  readonly contextWindow: number | undefined
  /**
   * USD per million tokens, when known. The engine reserves each call's worst-case cost against
   * `maxCostUsd` before sending it, so a model without a price cannot run under a cost budget.
   */
  readonly price?: ModelPrice | undefined
  /**
   * Where the model runs, in one line, when the provider knows (a local runtime: its binary, CPU
   * or which GPU, layers offloaded). `rlm doctor` prints it.
   */
  readonly backend?: string | undefined
  generate(request: GenerateRequest): Promise<GenerateResponse>
}
