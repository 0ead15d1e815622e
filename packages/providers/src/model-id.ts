// The model-id grammar, '<provider>:<model>', parsed in one place: resolveModel, the rlm command
// and anyone else who needs the provider of an id call this. Light on purpose (no provider code),
// so it is also exported from `@rlm/providers/env`.
import { RlmError } from '@rlm/errors'

/** Splits 'provider:model' at the first colon ('ollama:mistral:7b' → ollama, mistral:7b). */
export function parseModelId(id: string): { provider: string; model: string } {
  const colon = id.indexOf(':')
  if (colon <= 0 || colon === id.length - 1) {
    throw new RlmError(
      'E_CONFIG',
      `Cannot resolve model id '${id}': expected '<provider>:<model>', e.g. 'openai:gpt-4o-mini' or 'ollama:mistral:7b'.`,
      { details: { modelId: id } },
    )
  }
  return { provider: id.slice(0, colon), model: id.slice(colon + 1) }
}
