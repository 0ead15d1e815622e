// The models clients may name: `rlm` (the first configured root model) and `rlm:<id>` for each
// configured root model. Nothing else resolves, so a request can never choose a URL, a module or
// a provider the server was not started with.

import type { LanguageModel } from '@rlm/spec'
import { ApiError } from './api-error.ts'

/** A model id string for @rlm/providers (e.g. "openai:gpt-4o-mini") or a spec LanguageModel. */
export type ModelRef = string | LanguageModel

export interface ServedModel {
  /** The name clients send: "rlm" or "rlm:<id>". */
  name: string
  model: ModelRef
}

export interface ServedModels {
  readonly names: readonly string[]
  readonly subModel: ModelRef | undefined
  /** The model named by a request's `model` field; a 400 listing the served names otherwise. */
  resolve(name: string | undefined, param?: string): ServedModel
}

export const DEFAULT_MODEL_NAME = 'rlm'

export function createServedModels(
  models: Record<string, ModelRef>,
  subModel: ModelRef | undefined,
): ServedModels {
  const byName = new Map<string, ServedModel>()
  for (const [id, model] of Object.entries(models)) {
    if (byName.size === 0) byName.set(DEFAULT_MODEL_NAME, { name: DEFAULT_MODEL_NAME, model })
    const name = `${DEFAULT_MODEL_NAME}:${id}`
    byName.set(name, { name, model })
  }
  const names = [...byName.keys()]
  return {
    names,
    subModel,
    resolve(name, param = 'model') {
      const found = byName.get(name ?? DEFAULT_MODEL_NAME)
      if (found) return found
      throw new ApiError(
        400,
        'E_CONFIG',
        `${param}: ${JSON.stringify(name)} is not a model of this server; use one of ${names.join(', ')} (GET /v1/models lists them).`,
        { param },
      )
    },
  }
}
