// How a node (or the whole run) ended.

import type { BudgetName, RunStatus } from './result.ts'

export interface RunOutcome {
  status: RunStatus
  answer: string
  budget?: BudgetName | undefined
  partialFrom?: 'final_candidate' | 'answer_now' | 'last_output' | undefined
  error?: { code: string; message: string } | undefined
}
