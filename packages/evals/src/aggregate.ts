// Per suite x size x method figures: accuracy, tokens, cost and time, from task results.

import type { SuiteName } from './task.ts'
import type { Method, TaskResult } from './task-result.ts'

export interface SizeSummary {
  suite: SuiteName
  size: number
  method: Method
  tasks: number
  correct: number
  /** correct / tasks, 0..1 (errors count as wrong). */
  accuracy: number
  errors: number
  /** Tasks whose run stopped on a budget. */
  budgetExhausted: number
  /** Direct baseline: tasks whose context was cut to the window. */
  truncated: number
  inputTokens: number
  outputTokens: number
  costUsd: number
  unpricedCalls: number
  meanDurationMs: number
  meanSubCalls: number
}

export function summarize(results: readonly TaskResult[]): SizeSummary[] {
  const groups = new Map<string, TaskResult[]>()
  for (const r of results) {
    const key = `${r.suite}|${r.size}|${r.method}`
    const list = groups.get(key) ?? []
    list.push(r)
    groups.set(key, list)
  }
  const out: SizeSummary[] = []
  for (const list of groups.values()) {
    const first = list[0] as TaskResult
    const sum = (pick: (r: TaskResult) => number) => list.reduce((total, r) => total + pick(r), 0)
    const correct = sum((r) => r.score)
    out.push({
      suite: first.suite,
      size: first.size,
      method: first.method,
      tasks: list.length,
      correct,
      accuracy: correct / list.length,
      errors: list.filter((r) => r.status === 'error').length,
      budgetExhausted: list.filter((r) => r.status === 'budget_exhausted').length,
      truncated: list.filter((r) => r.truncated === true).length,
      inputTokens: sum((r) => r.inputTokens),
      outputTokens: sum((r) => r.outputTokens),
      costUsd: sum((r) => r.costUsd),
      unpricedCalls: sum((r) => r.unpricedCalls),
      meanDurationMs: sum((r) => r.durationMs) / list.length,
      meanSubCalls: sum((r) => r.subCalls) / list.length,
    })
  }
  const suiteOrder = (s: SuiteName) => ['s-niah', 'oolong', 'multi-hop', 'code-qa'].indexOf(s)
  return out.sort(
    (a, b) =>
      suiteOrder(a.suite) - suiteOrder(b.suite) || a.size - b.size || a.method.localeCompare(b.method) * -1,
  )
}
