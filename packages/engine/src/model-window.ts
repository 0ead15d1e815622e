// Context windows in tokens: the sub-model's (what one llm_query may carry) and the root's own.
// One resolution, shared by the system prompt, compaction and the sub-call window check.

import { lookupModel } from '@rlm/providers'
import type { RlmConfig } from './config.ts'
import type { LanguageModel } from './model-spec.ts'

/** What the resolution reads of a run: the two window settings and the two models. */
export interface WindowScope {
  readonly config: Pick<RlmConfig, 'contextWindow' | 'subContextWindow'>
  readonly model: LanguageModel
  readonly subModel: LanguageModel
}

/** Characters per token in prose and code; used only to state windows in characters. */
export const CHARS_PER_TOKEN = 4

/** The catalog's window for a model that does not report one (a spec object such as a wrapper). */
function catalogWindow(m: LanguageModel): number | undefined {
  return lookupModel(m.provider, m.modelId).contextWindow
}

/** The sub-model's window: `subContextWindow`, else the model's own, else the catalog's; undefined when unknown. */
export function subModelWindow(scope: WindowScope): number | undefined {
  return scope.config.subContextWindow ?? scope.subModel.contextWindow ?? catalogWindow(scope.subModel)
}

/** The root model's window: `contextWindow`, else the model's own, else the catalog's; undefined when unknown. */
export function rootModelWindow(scope: WindowScope): number | undefined {
  return scope.config.contextWindow ?? scope.model.contextWindow ?? catalogWindow(scope.model)
}

/** A window in tokens stated as characters, for the prompt (an estimate, rounded down). */
export function windowChars(tokens: number): number {
  return tokens * CHARS_PER_TOKEN
}
