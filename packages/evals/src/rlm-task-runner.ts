// How an eval's RLM task is run: in this process (a fresh createRlm per task), or by a caller's
// runner, e.g. a job on @rlm/queue's workers (`rlm eval --queue`), which reports the same figures.
import type { RlmEvent } from '@rlm/engine'
import type { EvalTask } from './task.ts'

/** What the eval keeps of one RLM run, whoever ran it. */
export interface RlmTaskOutcome {
  answer: string
  status: 'final' | 'budget_exhausted' | 'error'
  budget?: string | undefined
  error?: { code: string; message: string } | undefined
  usage: { inputTokens: number; outputTokens: number; costUsd: number; unpricedCalls: number }
  subCalls: number
  /** The root node's iterations. */
  iterations: number
}

/**
 * Runs the RLM on one task somewhere else. Throwing an RlmError whose code is fatal (E_CONFIG,
 * E_PROVIDER_AUTH, E_ABORTED) stops the eval; any other failure is recorded as the task's error.
 */
export type RlmTaskRunner = (
  task: EvalTask,
  options: { signal?: AbortSignal | undefined; onEvent: (event: RlmEvent) => void },
) => Promise<RlmTaskOutcome>

/** Runs `run` over the items, at most `limit` at once, in order of start; stops starting on a failure. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  let failed = false
  const lane = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const item = items[next++] as T
      try {
        await run(item)
      } catch (error) {
        failed = true
        throw error
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
}
