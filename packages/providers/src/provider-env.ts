// The environment the built-in providers read, named once: the variable holding each provider's
// key (its values are redacted from every output, see @rlm/errors) and the variables that choose
// where requests go (which a project's .env may not set, see the rlm command's trust rule).
// Also exported alone as `@rlm/providers/env` (with the default servers and the model-id grammar),
// so reading these facts loads no provider code.
import type { KeyEnvVar } from '@rlm/errors'

/** Providers resolveModel knows by name; any other provider is a package or file to import. */
export const BUILT_IN_PROVIDERS = ['openai', 'groq', 'anthropic', 'ollama', 'openai-compatible'] as const

/**
 * Providers that are rlm's own optional packages, loaded when installed: 'llama-cpp:<file.gguf>'
 * imports @rlm/llama-cpp (its native runtime is too heavy to bring to every user).
 */
export const PROVIDER_PACKAGES: Readonly<Record<string, string>> = { 'llama-cpp': '@rlm/llama-cpp' }

/** The variable each keyed built-in provider reads its key from, at call time. */
export const PROVIDER_KEY_ENV = {
  openai: 'OPENAI_API_KEY',
  groq: 'GROQ_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
} as const satisfies Record<string, KeyEnvVar>

/**
 * Variables that choose a provider's server: OPENAI_BASE_URL is read by createOpenAI; the others
 * by the vendor SDKs whenever no base URL is passed to them.
 */
export const BASE_URL_ENV_VARS = ['OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL', 'GROQ_BASE_URL'] as const

/** Where the ollama: provider (and createOpenAICompatible without a baseURL) sends requests. */
export const OLLAMA_BASE_URL = 'http://localhost:11434/v1'

/** Where createOpenAI sends requests when neither `baseURL` nor OPENAI_BASE_URL is set. */
export const OPENAI_BASE_URL = 'https://api.openai.com/v1'

export { parseModelId } from './model-id.ts'
