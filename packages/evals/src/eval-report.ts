// What a run of the harness returns and what the table, JSON and HTML outputs are made from.
import type { SizeSummary } from './aggregate.ts'
import type { SuiteName } from './task.ts'
import type { TaskResult } from './task-result.ts'

export interface EvalReport {
  /** 'mechanics-check' for the offline scripted strategy: never a model's accuracy. */
  kind: 'mechanics-check' | 'model-accuracy'
  /** One sentence on what the scores mean, printed above every table. */
  note: string
  model: string
  subModel: string
  seed: number
  suites: SuiteName[]
  sizes: number[]
  tasksPerSize: number
  baseline: 'direct' | 'none'
  /** Results of this plan: those run now and those taken from the results file. */
  results: TaskResult[]
  summary: SizeSummary[]
  /** How many results came from the results file instead of being run again. */
  resumed: number
  startedAt: string
  durationMs: number
}

export const MECHANICS_NOTE =
  'Offline mechanics check: a scripted strategy model wrote the REPL code and a reader sub-model parsed the chunks it was given. These scores prove the pipeline end to end; they are not model accuracy.'
export const ACCURACY_NOTE = 'Model accuracy: exact-match scores of the configured model on generated tasks.'
