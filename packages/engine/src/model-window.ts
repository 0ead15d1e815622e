// Context windows in tokens: the sub-model's (what one llm_query may carry) and the root's own.
// One resolution, shared by the system prompt, compaction and the sub-call window check.

import type { RlmConfig } from './config.ts'
import type { ResolvedModels } from './model-resolution.ts'
import type { LanguageModel } from './model-spec.ts'

/** What the resolution reads of a run: the two window settings, the two models and the catalog. */
export interface WindowScope {
  readonly config: Pick<RlmConfig, 'contextWindow' | 'subContextWindow'>
  readonly model: LanguageModel
  readonly subModel: LanguageModel
  readonly catalogWindow?: ResolvedModels['catalogWindow']
}

/** Characters per token in prose and code; used only to state windows in characters. */
export const CHARS_PER_TOKEN = 4

/** The sub-model's window: `subContextWindow`, else the model's own, else the catalog's (with @rlm/providers); undefined when unknown. */
export function subModelWindow(scope: WindowScope): number | undefined {
  return (
    scope.config.subContextWindow ?? scope.subModel.contextWindow ?? scope.catalogWindow?.(scope.subModel)
  )
}

/** The root model's window: `contextWindow`, else the model's own, else the catalog's (with @rlm/providers); undefined when unknown. */
export function rootModelWindow(scope: WindowScope): number | undefined {
  return scope.config.contextWindow ?? scope.model.contextWindow ?? scope.catalogWindow?.(scope.model)
}

/** A window in tokens stated as characters, for the prompt (an estimate, rounded down). */
export function windowChars(tokens: number): number {
  return tokens * CHARS_PER_TOKEN
}
