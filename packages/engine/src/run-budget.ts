// Budgets shared by every node of a run: sub-calls, tokens, cost and wall time. The first limit
// crossed marks the run exhausted and aborts in-flight calls; nodes then wind down cleanly.

import { RlmError } from '@rlm/errors'
import type { BudgetName, RunUsage } from './result.ts'

export interface BudgetLimits {
  maxSubCalls?: number | undefined
  maxTokens?: number | undefined
  maxCostUsd?: number | undefined
  maxWallTimeMs?: number | undefined
}

export interface Exhaustion {
  budget: BudgetName
  limit: number
  used: number
}

export class RunBudget {
  readonly limits: BudgetLimits
  readonly startedAt: number
  subCalls = 0
  tokens = 0
  costUsd = 0
  exhausted: Exhaustion | undefined
  /** Aborted when a spending budget (tokens, cost, wall time) runs out, ending in-flight calls. */
  readonly controller = new AbortController()
  private readonly onExhausted: (e: Exhaustion) => void
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(limits: BudgetLimits, onExhausted: (e: Exhaustion) => void, now = Date.now()) {
    this.limits = limits
    this.startedAt = now
    this.onExhausted = onExhausted
    if (limits.maxWallTimeMs !== undefined) this.armWallTimer(limits.maxWallTimeMs)
  }

  // Timers run on a monotonic clock and Date.now() is whole milliseconds, so a timer can fire a
  // hair before the deadline by Date.now(): re-arm for the rest instead of missing it.
  private armWallTimer(ms: number): void {
    this.timer = setTimeout(
      () => {
        this.checkWallTime()
        const left = this.startedAt + this.limits.maxWallTimeMs! - Date.now()
        if (!this.exhausted) this.armWallTimer(Math.max(1, left))
      },
      Math.max(1, ms),
    )
    this.timer.unref?.()
  }

  /** The budget that ran out, if any (a method, so callers re-read it after every await). */
  spent(): Exhaustion | undefined {
    return this.exhausted
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  /** Reserves one sub-call; throws E_BUDGET when the run is out of budget or of sub-calls. */
  takeSubCall(): void {
    this.assertOpen()
    const max = this.limits.maxSubCalls
    if (max !== undefined && this.subCalls >= max) {
      this.exhaust({ budget: 'maxSubCalls', limit: max, used: this.subCalls })
      this.assertOpen()
    }
    this.subCalls++
  }

  /** Throws E_BUDGET once any budget has run out; also checks the wall clock. */
  assertOpen(): void {
    this.checkWallTime()
    const e = this.exhausted
    if (e) {
      throw new RlmError(
        'E_BUDGET',
        `The run's ${e.budget} budget (${e.limit}) is used up; no more calls are made.`,
        {
          details: { ...e },
        },
      )
    }
  }

  /** Counts a finished model call against the token and cost budgets. */
  charge(usage: RunUsage): void {
    this.tokens += usage.inputTokens + usage.outputTokens
    this.costUsd += usage.costUsd
    const { maxTokens, maxCostUsd } = this.limits
    if (maxTokens !== undefined && this.tokens > maxTokens) {
      this.exhaust({ budget: 'maxTokens', limit: maxTokens, used: this.tokens })
    } else if (maxCostUsd !== undefined && this.costUsd > maxCostUsd) {
      this.exhaust({ budget: 'maxCostUsd', limit: maxCostUsd, used: this.costUsd })
    }
  }

  checkWallTime(now = Date.now()): void {
    const max = this.limits.maxWallTimeMs
    if (max !== undefined && !this.exhausted && now - this.startedAt >= max) {
      this.exhaust({ budget: 'maxWallTimeMs', limit: max, used: now - this.startedAt })
    }
  }

  exhaust(e: Exhaustion): void {
    if (this.exhausted) return
    this.exhausted = e
    this.onExhausted(e)
    // Calls already admitted within maxSubCalls are paid for by that budget: let them finish.
    if (e.budget === 'maxSubCalls') return
    this.controller.abort(
      new RlmError('E_BUDGET', `The run's ${e.budget} budget (${e.limit}) ran out.`, { details: { ...e } }),
    )
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer)
  }
}
