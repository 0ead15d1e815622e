// State shared by every node of one run: settings, models, the one concurrency limiter, the
// budgets, the event sink and the context access log.

import type { MemoryBudget } from '@rlm/sandbox'
import type { ConcurrencyLimiter } from './concurrency-limiter.ts'
import type { RlmConfig } from './config.ts'
import type { EventPayload, RlmEvent } from './events.ts'
import type { ResolvedModels } from './model-resolution.ts'
import type { LanguageModel, ModelResponse } from './model-spec.ts'
import type { ContextAccess } from './result.ts'
import type { Exhaustion, RunBudget } from './run-budget.ts'
import type { RunDeterminism } from './run-determinism.ts'

/** Recorded replies a replay serves instead of calling models. */
export interface ReplaySource {
  nodeReply(nodeId: string, purpose: string): ModelResponse
  subAnswer(promptHash: string, prompt: string): ModelResponse
  /** The recorded result of a tool that is not replay-safe (throws its recorded error). */
  toolResult?(name: string, argsHash: string): unknown
  /** The run-wide budget the recording ended on, re-applied when its replies run out. */
  endBudget?: Exhaustion | undefined
}

export interface RunScope {
  readonly runId: string
  readonly config: RlmConfig
  readonly model: LanguageModel
  readonly subModel: LanguageModel
  readonly catalogWindow?: ResolvedModels['catalogWindow']
  readonly limiter: ConcurrencyLimiter
  /** One limiter per depth for live children, so a child waiting on its own children never deadlocks. */
  readonly childLimiters: Map<number, ConcurrencyLimiter>
  readonly budget: RunBudget
  /** The caller's cancellation. */
  readonly signal: AbortSignal | undefined
  /** Aborted on cancellation or when a budget runs out: passed to every model call. */
  readonly callSignal: AbortSignal
  readonly contextAccess: ContextAccess[]
  readonly replay: ReplaySource | undefined
  /** The seed and clock start every sandbox of the run gets (empty: real random and clock). */
  readonly determinism: RunDeterminism
  /** Deepest level reached, counted like maxDepth (1 = root only). */
  maxLevel: number
  subCalls: number
  /** Child RLMs started in this run (limits.maxChildRuns). */
  childRuns: number
  /**
   * The memory budget every sandbox of this run shares (limits.maxRunMemoryBytes), made with the
   * first sandbox; a session's next run keeps it, since its root sandbox lives on.
   */
  memoryBudget?: MemoryBudget | undefined
  emit(node: { id: string; depth: number }, payload: EventPayload): void
}

export function stamp(runId: string, node: { id: string; depth: number }, payload: EventPayload): RlmEvent {
  return { ...payload, runId, nodeId: node.id, depth: node.depth, timestamp: Date.now() } as RlmEvent
}
