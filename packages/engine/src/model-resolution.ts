// Turns the config's `model` / `subModel` (spec objects or id strings) into spec models, with
// the provider response cache in front when `cache` is on, and the catalog's windows when known.

import type { RlmConfig } from './config.ts'
import type { LanguageModel } from './model-spec.ts'
import { loadProviders, requireProviders } from './optional-providers.ts'

export interface ResolvedModels {
  model: LanguageModel
  subModel: LanguageModel
  /** The catalog's window for a model that reports none; absent without @rlm/providers. */
  catalogWindow?: ((m: LanguageModel) => number | undefined) | undefined
}

type Providers = NonNullable<Awaited<ReturnType<typeof loadProviders>>>

export async function resolveModels(config: RlmConfig): Promise<ResolvedModels> {
  const { model: root, subModel: sub } = config
  if (typeof root !== 'string' && typeof sub !== 'string' && config.cache === false) {
    // Spec objects need nothing from @rlm/providers; it is loaded (when installed) only for the
    // catalog windows of models that report none. Its SDKs load only when a model id names them.
    const known = root.contextWindow !== undefined && (sub ?? root).contextWindow !== undefined
    const providers = known ? undefined : await loadProviders()
    return { model: root, subModel: sub ?? root, ...catalogOf(providers) }
  }
  const id = [root, sub].find((m) => typeof m === 'string')
  const providers = await requireProviders(id === undefined ? 'config.cache' : `The model id "${id}"`)
  const resolve = async (ref: string | LanguageModel): Promise<LanguageModel> =>
    typeof ref === 'string' ? providers.resolveModel(ref) : ref
  let model = await resolve(root)
  let subModel = sub === undefined ? model : await resolve(sub)
  if (config.cache !== false) {
    const options = config.cache === true ? {} : config.cache
    const cache = providers.createCache({
      ...(options.dir !== undefined && { dir: options.dir }),
      ...(options.maxEntries !== undefined && { maxEntries: options.maxEntries }),
    })
    const wrap = (m: LanguageModel): LanguageModel => providers.withCache(m, { cache })
    // The cache itself skips calls at temperature > 0; `root: false` keeps root turns out entirely.
    if (options.root !== false) model = wrap(model)
    subModel = sub === undefined && options.root !== false ? model : wrap(subModel)
  }
  return { model, subModel, ...catalogOf(providers) }
}

function catalogOf(providers: Providers | undefined): Pick<ResolvedModels, 'catalogWindow'> {
  if (!providers) return {}
  return { catalogWindow: (m) => providers.lookupModel(m.provider, m.modelId).contextWindow }
}

export function modelName(m: LanguageModel): string {
  return `${m.provider}:${m.modelId}`
}
