// Progress events of an eval run, for the CLI's progress line and NDJSON stream.
import type { RlmEvent } from '@rlm/engine'
import type { SuiteName } from './task.ts'
import type { Method, TaskResult } from './task-result.ts'

export type EvalEvent =
  | { type: 'eval_start'; planned: number; resumed: number; kind: 'mechanics-check' | 'model-accuracy' }
  | { type: 'task_start'; taskId: string; suite: SuiteName; size: number; method: Method }
  | { type: 'task_skip'; taskId: string; method: Method; reason: 'finished' }
  | { type: 'task_end'; result: TaskResult; done: number; planned: number }
  /** Every event of the engine run behind an 'rlm' task, tagged with the task. */
  | { type: 'engine'; taskId: string; event: RlmEvent }
  | { type: 'warning'; message: string }

export interface EvalHooks {
  onEvent?: (event: EvalEvent) => void
}
