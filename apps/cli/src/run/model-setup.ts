// Turns the configured model ids into spec models. `--base-url` is the server of the root model's
// provider: it completes 'openai-compatible:<model>' ids that have no '@<url>', replaces Ollama's
// default address, and points openai:/groq:/anthropic: at a proxy; a sub-model of another
// provider keeps its own endpoint. Missing keys fail here, before anything is written.

import { RlmError } from '@rlm/errors'
import type { LanguageModel } from '@rlm/providers'
import { PROVIDER_KEY_ENV, parseModelId } from '@rlm/providers/env'
import type { CliConfig } from '../config/config-schema.ts'
import { usageError } from '../usage-error.ts'

export interface ModelPlan {
  id: string
  provider: string
  /** Settings passed to resolveModel. */
  settings: { baseURL?: string; apiKey?: string; timeoutMs?: number; maxRetries?: number }
}

function providerOf(id: string): string {
  try {
    return parseModelId(id).provider
  } catch {
    throw usageError(
      `Unknown model id '${id}': expected '<provider>:<model>', e.g. openai:gpt-4o-mini, groq:llama-3.1-8b-instant, anthropic:claude-haiku-4-5, ollama:qwen2.5, llama-cpp:<file.gguf> or openai-compatible:<model> with --base-url.`,
    )
  }
}

export function planModel(id: string, rootProvider: string, config: CliConfig): ModelPlan {
  const provider = providerOf(id)
  const hasInlineUrl = /@https?:\/\//.test(id)
  const settings: ModelPlan['settings'] = {}
  const baseApplies =
    config.baseUrl !== undefined &&
    !hasInlineUrl &&
    (provider === rootProvider || provider === 'openai-compatible' || provider === 'ollama')
  let resolvedId = id
  if (baseApplies && config.baseUrl) {
    if (provider === 'openai-compatible') resolvedId = `${id}@${config.baseUrl}`
    else settings.baseURL = config.baseUrl
  }
  if (provider === 'openai-compatible' && !/@https?:\/\//.test(resolvedId)) {
    throw usageError(
      `Model '${id}' needs a server address: pass --base-url <url> (or RLM_BASE_URL), or write openai-compatible:<model>@<url>.`,
    )
  }
  if (config.apiKey && (baseApplies || provider === 'openai-compatible')) settings.apiKey = config.apiKey
  if (config.requestTimeout !== undefined) settings.timeoutMs = config.requestTimeout
  const keyVar = (PROVIDER_KEY_ENV as Record<string, string>)[provider]
  if (keyVar && !settings.apiKey && !process.env[keyVar]) {
    throw new RlmError(
      'E_PROVIDER_AUTH',
      `${keyVar} is not set, and model '${id}' needs it: export ${keyVar}=... (or put it in .env), or pick a local model such as ollama:qwen2.5.`,
      { details: { provider, env: keyVar } },
    )
  }
  return { id: resolvedId, provider, settings }
}

export interface PlannedModels {
  root: ModelPlan
  sub: ModelPlan
}

export function planModels(config: CliConfig): PlannedModels {
  if (!config.model) {
    throw usageError(
      'No model configured: pass --model <provider:model> (e.g. openai:gpt-4o-mini, ollama:qwen2.5), set RLM_MODEL, or add "model" to rlm.config.json. Try `rlm demo` for an offline run.',
    )
  }
  const rootProvider = providerOf(config.model)
  const root = planModel(config.model, rootProvider, config)
  const sub = config.subModel ? planModel(config.subModel, rootProvider, config) : root
  return { root, sub }
}

export async function createModels(
  plan: PlannedModels,
): Promise<{ model: LanguageModel; subModel: LanguageModel }> {
  const { resolveModel } = await import('@rlm/providers')
  const model = await resolveModel(plan.root.id, plan.root.settings)
  const subModel = plan.sub === plan.root ? model : await resolveModel(plan.sub.id, plan.sub.settings)
  return { model, subModel }
}
