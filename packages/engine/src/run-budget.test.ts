import { describe, expect, it } from 'vitest'
import { emptyUsage } from './result.ts'
import { type Exhaustion, RunBudget } from './run-budget.ts'

describe('RunBudget', () => {
  it('refuses the sub-call past maxSubCalls and lets admitted calls finish', () => {
    const seen: Exhaustion[] = []
    const b = new RunBudget({ maxSubCalls: 2 }, (e) => seen.push(e))
    b.takeSubCall()
    b.takeSubCall()
    expect(() => b.takeSubCall()).toThrow(expect.objectContaining({ code: 'E_BUDGET' }))
    expect(seen).toEqual([{ budget: 'maxSubCalls', limit: 2, used: 2 }])
    expect(b.signal.aborted).toBe(false)
  })

  it('runs out on tokens and on cost after the call that crossed the line', () => {
    const t = new RunBudget({ maxTokens: 100 }, () => {})
    t.charge({ ...emptyUsage(), inputTokens: 60, outputTokens: 30 })
    expect(t.spent()).toBeUndefined()
    t.charge({ ...emptyUsage(), inputTokens: 20 })
    expect(t.spent()?.budget).toBe('maxTokens')
    const c = new RunBudget({ maxCostUsd: 0.01 }, () => {})
    c.charge({ ...emptyUsage(), costUsd: 0.02 })
    expect(c.spent()).toMatchObject({ budget: 'maxCostUsd', used: 0.02 })
  })

  it('runs out on wall time', async () => {
    const b = new RunBudget({ maxWallTimeMs: 20 }, () => {})
    await new Promise((r) => setTimeout(r, 40))
    expect(b.spent()?.budget).toBe('maxWallTimeMs')
    expect(() => b.assertOpen()).toThrow(/maxWallTimeMs/)
    b.dispose()
  })
})
