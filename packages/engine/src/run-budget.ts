// Budgets shared by every node of a run: sub-calls, tokens, cost and wall time. Every model call
// reserves its worst case before it starts, so parallel calls cannot overspend together; the
// first limit crossed marks the run exhausted and nodes wind down cleanly.

import { RlmError } from '@rlm/errors'
import type { BudgetName, RunUsage } from './result.ts'

const NO_RESERVATION: Reservation = Object.freeze({ tokens: 0, costUsd: 0 })

function abortReason(signal: AbortSignal | undefined): unknown {
  const reason: unknown = signal?.reason
  return reason instanceof Error ? reason : new RlmError('E_ABORTED', 'The call was cancelled.')
}

export interface BudgetLimits {
  maxSubCalls?: number | undefined
  maxTokens?: number | undefined
  maxCostUsd?: number | undefined
  maxWallTimeMs?: number | undefined
}

/** A call's worst case: estimated input tokens plus its output cap, and their price. */
export interface Reservation {
  tokens: number
  costUsd: number
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
  /** Held by calls in flight; settled to actuals when each call ends. */
  readonly reserved: Reservation = { tokens: 0, costUsd: 0 }
  private waiters: Array<() => void> = []
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

  /** Gives back a sub-call that was cancelled before it started: nothing was sent for it. */
  refundSubCall(): void {
    if (this.subCalls > 0) this.subCalls--
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

  /** True when a token or cost budget is set, so calls need reservations. */
  get reserves(): boolean {
    return this.limits.maxTokens !== undefined || this.limits.maxCostUsd !== undefined
  }

  /**
   * Holds `r` for a call about to start. Waits while calls in flight hold the room it needs;
   * refuses (E_BUDGET, and the run is exhausted) only when `r` could not fit even if every call
   * in flight settled at zero. Pass the result to release() when the call ends.
   */
  async reserve(r: Reservation, signal?: AbortSignal): Promise<Reservation> {
    if (!this.reserves) return NO_RESERVATION
    for (;;) {
      this.assertOpen()
      const over = this.overBudget(r, false)
      if (over) {
        this.exhaust(over, false)
        this.assertOpen()
      }
      if (!this.overBudget(r, true)) {
        this.reserved.tokens += r.tokens
        this.reserved.costUsd += r.costUsd
        return r
      }
      await this.settled(signal)
    }
  }

  /** A reservation only when it fits now, without waiting (the last "answer now" call). */
  tryReserve(r: Reservation): Reservation | undefined {
    if (!this.reserves) return NO_RESERVATION
    if (this.overBudget(r, true)) return undefined
    this.reserved.tokens += r.tokens
    this.reserved.costUsd += r.costUsd
    return r
  }

  /** Gives a reservation back (charge() counts what the call really used). */
  release(r: Reservation): void {
    if (r === NO_RESERVATION) return
    this.reserved.tokens -= r.tokens
    this.reserved.costUsd -= r.costUsd
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w()
  }

  /** The budget `r` would cross, counting what calls in flight hold when `withInFlight`. */
  private overBudget(r: Reservation, withInFlight: boolean): Exhaustion | undefined {
    const { maxTokens, maxCostUsd } = this.limits
    const heldTokens = withInFlight ? this.reserved.tokens : 0
    const heldCost = withInFlight ? this.reserved.costUsd : 0
    if (maxTokens !== undefined && this.tokens + heldTokens + r.tokens > maxTokens)
      return { budget: 'maxTokens', limit: maxTokens, used: this.tokens }
    if (maxCostUsd !== undefined && this.costUsd + heldCost + r.costUsd > maxCostUsd)
      return { budget: 'maxCostUsd', limit: maxCostUsd, used: this.costUsd }
    return undefined
  }

  private settled(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(abortReason(signal))
      if (signal?.aborted) return onAbort()
      signal?.addEventListener('abort', onAbort, { once: true })
      const onBudgetEnd = (): void => resolve()
      this.signal.addEventListener('abort', onBudgetEnd, { once: true })
      this.waiters.push(() => {
        signal?.removeEventListener('abort', onAbort)
        this.signal.removeEventListener('abort', onBudgetEnd)
        resolve()
      })
    })
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

  /**
   * Marks the run exhausted. `abortInFlight` false when the calls in flight are paid for (they
   * were admitted within maxSubCalls, or hold reservations that fit): they finish.
   */
  exhaust(e: Exhaustion, abortInFlight = e.budget !== 'maxSubCalls'): void {
    if (this.exhausted) return
    this.exhausted = e
    this.onExhausted(e)
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w()
    if (!abortInFlight) return
    this.controller.abort(
      new RlmError('E_BUDGET', `The run's ${e.budget} budget (${e.limit}) ran out.`, { details: { ...e } }),
    )
  }

  /** Milliseconds left under maxWallTimeMs (undefined without one). */
  timeLeft(now = Date.now()): number | undefined {
    const max = this.limits.maxWallTimeMs
    return max === undefined ? undefined : Math.max(0, this.startedAt + max - now)
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer)
  }
}
