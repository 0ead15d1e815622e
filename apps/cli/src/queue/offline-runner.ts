// `rlm worker --offline`: jobs whose models are the eval's offline ids (`offline:strategy`,
// `offline:reader`, what `rlm eval --queue --offline` submits) run on those scripted models, so
// the queue's mechanics can be checked with no network; any other id resolves as usual.

import { createRlm } from '@rlm/engine'
import type { LanguageModel } from '@rlm/providers'
import type { CreateRunner } from '@rlm/queue'

export const OFFLINE_MODEL = 'offline:strategy'
export const OFFLINE_SUB_MODEL = 'offline:reader'

export const offlineRunner: CreateRunner = async (ctx) => {
  const evals = await import('@rlm/evals/offline')
  const resolveId = async (id: string): Promise<LanguageModel> => {
    if (id === OFFLINE_MODEL) return evals.createOfflineStrategyModel()
    if (id === OFFLINE_SUB_MODEL) return evals.createOfflineReaderModel()
    const { resolveModel } = await import('@rlm/providers')
    return resolveModel(id)
  }
  const { model: rootId, subModel: subId, ...rest } = ctx.config
  const root = await resolveId(rootId)
  const sub = subId === undefined ? root : await resolveId(subId)
  return createRlm({ ...rest, model: ctx.wrapModel(root, 'root'), subModel: ctx.wrapModel(sub, 'sub') })
}
