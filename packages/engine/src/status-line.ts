// The one line that starts every fed-back REPL output: where the node stands against its limits
// (turns, time, sub-calls, tokens, cost), so the model can plan the rest of its work.

import type { NodeState } from './node-state.ts'

/**
 * Marks the line as volatile: the response cache of @rlm/providers (VOLATILE_LINE_MARK, checked
 * equal by a test) leaves such lines out of its keys, so cached and resumed runs still hit.
 */
export const STATUS_MARK = '[rlm status]'

/** The time a cell may run now: the per-cell limit, cut to what is left of the run's wall budget. */
export function cellTimeLimit(node: NodeState): number {
  const left = node.scope.budget.timeLeft()
  const limit = node.scope.config.executionTimeoutMs
  return left === undefined ? limit : Math.max(1, Math.min(limit, left))
}

export function statusLine(node: NodeState, nextTurn: number): string {
  const { config, budget } = node.scope
  const parts = [
    `turn ${nextTurn} of ${config.maxIterations}`,
    `next cell may run ${duration(cellTimeLimit(node))}`,
  ]
  const left = budget.timeLeft()
  if (left !== undefined) parts.push(`run time left ${duration(left)}`)
  const { maxSubCalls, maxTokens, maxCostUsd } = budget.limits
  if (maxSubCalls !== undefined) parts.push(`sub-calls left ${count(maxSubCalls - budget.subCalls)}`)
  if (maxTokens !== undefined)
    parts.push(`tokens left ${count(maxTokens - budget.tokens - budget.reserved.tokens)}`)
  if (maxCostUsd !== undefined)
    parts.push(`cost left $${Math.max(0, maxCostUsd - budget.costUsd - budget.reserved.costUsd).toFixed(4)}`)
  return `${STATUS_MARK} ${parts.join(' · ')}`
}

function count(n: number): string {
  return Math.max(0, n).toLocaleString('en-US')
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = Math.round(ms / 1000)
  if (s < 120) return `${s} s`
  const m = Math.floor(s / 60)
  return s % 60 ? `${m} min ${s % 60} s` : `${m} min`
}
