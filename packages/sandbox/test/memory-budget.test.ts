// A memory budget shared by sandboxes: charged on create and as heaps grow, refunded on dispose;
// what does not fit is E_MEMORY for that sandbox alone.
import { isRlmError } from '@rlm/errors'
import { describe, expect, it } from 'vitest'
import { createMemoryBudget, createSandbox, type RunResult } from '../src/index.ts'

const MIB = 2 ** 20
const START = 16 * MIB

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const stop = Date.now() + ms
  while (!check()) {
    if (Date.now() > stop) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}

const code = (r: RunResult): string => (r.ok ? 'ok' : r.error.code)

describe('createMemoryBudget', () => {
  it('rejects a limit that is not a whole number of bytes of at least 16 MiB with E_CONFIG', () => {
    for (const bad of [0, 1000, 15 * MIB, 1.5e7 + 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      let error: unknown
      try {
        createMemoryBudget(bad)
      } catch (e) {
        error = e
      }
      expect(isRlmError(error) && error.code).toBe('E_CONFIG')
    }
  })

  it('createSandbox rejects a memoryBudget that createMemoryBudget did not make', async () => {
    const fake = { limitBytes: 1e9, usedBytes: 0 }
    const error = await createSandbox({ memoryBudget: fake }).catch((e: unknown) => e)
    expect(isRlmError(error) && error.code).toBe('E_CONFIG')
    expect((error as Error).message).toContain('createMemoryBudget')
  })

  it('charges a sandbox its starting heap and each growth, and refunds it all on dispose', async () => {
    const budget = createMemoryBudget(256 * MIB)
    expect(budget.limitBytes).toBe(256 * MIB)
    const sb = await createSandbox({ memoryBudget: budget, memoryLimitBytes: 128 * MIB })
    expect(budget.usedBytes).toBeGreaterThanOrEqual(START)
    const r = await sb.run('var big = "x".repeat(40e6); big.length')
    expect(r.ok && r.value).toBe(40e6)
    expect(budget.usedBytes).toBeGreaterThanOrEqual(40e6)
    await sb.dispose()
    expect(budget.usedBytes).toBe(0)
  })

  it('a growth the budget refuses is E_MEMORY in that sandbox only; others keep working', async () => {
    const budget = createMemoryBudget(110 * MIB)
    const options = { memoryBudget: budget, memoryLimitBytes: 96 * MIB, timeoutMs: 10_000 }
    const hog = await createSandbox(options)
    const other = await createSandbox(options)
    expect(code(await hog.run('var kept = "x".repeat(60e6); kept.length'))).toBe('ok')
    const refused = await other.run('var mine = "y".repeat(60e6); mine.length')
    expect(code(refused)).toBe('E_MEMORY')
    expect(!refused.ok && refused.error.message).toMatch(/shared by all sandboxes/)
    expect(budget.usedBytes).toBeLessThanOrEqual(110 * MIB)
    // The refused sandbox still runs small cells, and the hog still has its data.
    expect(code(await other.run('1 + 1'))).toBe('ok')
    const still = await hog.run('kept.length')
    expect(still.ok && still.value).toBe(60e6)
    // Once the hog is gone its memory is free for the other.
    await hog.dispose()
    const retry = await other.run('var mine = "y".repeat(60e6); mine.length')
    expect(retry.ok && retry.value).toBe(60e6)
    await other.dispose()
    expect(budget.usedBytes).toBe(0)
  })

  it('a create the budget cannot start is E_MEMORY at once, and takes nothing from the budget', async () => {
    const budget = createMemoryBudget(2 * START)
    const a = await createSandbox({ memoryBudget: budget })
    const b = await createSandbox({ memoryBudget: budget })
    const used = budget.usedBytes
    const error = await createSandbox({ memoryBudget: budget }).catch((e: unknown) => e)
    expect(isRlmError(error) && error.code).toBe('E_MEMORY')
    expect((error as Error).message).toMatch(/memory budget is used up.*Dispose of sandboxes/)
    expect(budget.usedBytes).toBe(used)
    await a.dispose()
    const c = await createSandbox({ memoryBudget: budget })
    expect(code(await c.run('1'))).toBe('ok')
    await Promise.all([b.dispose(), c.dispose()])
    expect(budget.usedBytes).toBe(0)
  })

  it('a global that does not fit the budget fails the create with E_MEMORY', async () => {
    const budget = createMemoryBudget(32 * MIB)
    const error = await createSandbox({
      memoryBudget: budget,
      memoryLimitBytes: 64 * MIB,
      globals: { context: 'z'.repeat(24 * MIB) },
    }).catch((e: unknown) => e)
    expect(isRlmError(error) && error.code).toBe('E_MEMORY')
    expect(budget.usedBytes).toBe(0)
  })

  it('a sandbox whose worker was replaced (timeout kill) is charged for the new worker only', async () => {
    const budget = createMemoryBudget(256 * MIB)
    const sb = await createSandbox({ memoryBudget: budget, memoryLimitBytes: 128 * MIB, timeoutMs: 30_000 })
    expect(code(await sb.run('var big = "x".repeat(60e6); big.length'))).toBe('ok')
    // Array.prototype.join on a huge array-like never checks for interrupts: the host kills the worker.
    const killed = await sb.run('Array.prototype.join.call({ length: 2 ** 32 - 1 }, "")', { timeoutMs: 300 })
    expect(killed.reset).toBe(true)
    expect(code(await sb.run('typeof big'))).toBe('ok')
    // The killed worker's share comes back once its thread has stopped.
    await until(() => budget.usedBytes < 60e6)
    await sb.dispose()
    expect(budget.usedBytes).toBe(0)
  })
})
