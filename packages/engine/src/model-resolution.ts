// Turns the config's `model` / `subModel` (spec objects or id strings) into spec models, with
// the provider response cache in front when `cache` is on.

import type { RlmConfig } from './config.ts'
import type { LanguageModel } from './model-spec.ts'

export interface ResolvedModels {
  model: LanguageModel
  subModel: LanguageModel
}

export async function resolveModels(config: RlmConfig): Promise<ResolvedModels> {
  // Spec objects need nothing from @rlm/providers; loading its SDKs only for ids keeps cold start short.
  if (typeof config.model !== 'string' && typeof config.subModel !== 'string' && config.cache === false) {
    return { model: config.model, subModel: config.subModel ?? config.model }
  }
  const providers = await import('@rlm/providers')
  const resolve = async (ref: string | LanguageModel): Promise<LanguageModel> =>
    typeof ref === 'string' ? ((await providers.resolveModel(ref)) as LanguageModel) : ref
  let model = await resolve(config.model)
  let subModel = config.subModel === undefined ? model : await resolve(config.subModel)
  if (config.cache !== false) {
    const options = config.cache === true ? {} : config.cache
    const cache = providers.createCache({
      ...(options.dir !== undefined && { dir: options.dir }),
      ...(options.maxEntries !== undefined && { maxEntries: options.maxEntries }),
    })
    const wrap = (m: LanguageModel): LanguageModel =>
      providers.withCache(m as Parameters<typeof providers.withCache>[0], { cache }) as LanguageModel
    // The cache itself skips calls at temperature > 0; `root: false` keeps root turns out entirely.
    if (options.root !== false) model = wrap(model)
    subModel = config.subModel === undefined && options.root !== false ? model : wrap(subModel)
  }
  return { model, subModel }
}

export function modelName(m: LanguageModel): string {
  return `${m.provider}:${m.modelId}`
}
