import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isRlmError } from '@rlm/errors'
import { afterAll, describe, expect, it } from 'vitest'
import { createMemoryBudget, createSandbox, prewarmSandbox, sandboxStats } from '../src/index.ts'
import { spareCount } from '../src/worker-pool.ts'

const MB = 2 ** 20

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const stop = Date.now() + ms
  while (!check()) {
    if (Date.now() > stop) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('warm pool', () => {
  afterAll(async () => {
    await prewarmSandbox({ count: 1 })
  })

  it('keeps count spares ready and parallel creates take them, each sandbox isolated', async () => {
    await prewarmSandbox({ count: 3, memoryLimitBytes: 32 * MB })
    expect(spareCount()).toBe(3)
    const boxes = await Promise.all(
      [0, 1, 2].map((i) => createSandbox({ memoryLimitBytes: 32 * MB, globals: { who: i } })),
    )
    const results = await Promise.all(boxes.map((sb) => sb.run('var mine = who * 10; mine')))
    expect(results.map((r) => (r.ok ? r.value : r.error.code))).toEqual([0, 10, 20])
    // each keeps its own variable across runs: no sandbox sees another's state
    const again = await Promise.all(boxes.map((sb) => sb.run('mine')))
    expect(again.map((r) => (r.ok ? r.value : r.error.code))).toEqual([0, 10, 20])
    await Promise.all(boxes.map((sb) => sb.dispose()))
  })

  it('creates that took the spares give them back on dispose, starting no thread', async () => {
    await prewarmSandbox({ count: 2, memoryLimitBytes: 32 * MB })
    const started = sandboxStats().threadsStarted
    const a = await createSandbox({ memoryLimitBytes: 32 * MB })
    const b = await createSandbox({ memoryLimitBytes: 32 * MB })
    expect(spareCount()).toBe(0)
    await Promise.all([a.dispose(), b.dispose()])
    expect(spareCount()).toBe(2)
    expect(sandboxStats().threadsStarted).toBe(started)
  })

  it('a create that finds no spare while others are live refills the pool in the background', async () => {
    await prewarmSandbox({ count: 1, memoryLimitBytes: 32 * MB })
    const a = await createSandbox({ memoryLimitBytes: 32 * MB })
    const b = await createSandbox({ memoryLimitBytes: 32 * MB }) // cold: a holds the only spare
    await until(() => spareCount() === 1)
    await Promise.all([a.dispose(), b.dispose()])
    expect(spareCount()).toBe(1)
    expect(sandboxStats().workers).toBe(1)
  })

  it('serves a create with another memory limit from a spare', async () => {
    await prewarmSandbox({ count: 1, memoryLimitBytes: 16 * MB })
    const sb = await createSandbox({ memoryLimitBytes: 48 * MB })
    const r = await sb.run('const big = "x".repeat(30 * 2 ** 20); big.length')
    expect(r.ok && r.value).toBe(30 * MB)
    await sb.dispose()
  })

  it('count 0 stops keeping spares; creates still work cold', async () => {
    await prewarmSandbox({ count: 0 })
    expect(spareCount()).toBe(0)
    const sb = await createSandbox()
    expect((await sb.run('1 + 1')).ok).toBe(true)
    await sb.dispose()
    await new Promise((r) => setTimeout(r, 50))
    expect(spareCount()).toBe(0)
  })

  it('neither spares nor disposed sandboxes keep the process alive; awaiting a prewarm does', async () => {
    const index = fileURLToPath(new URL('../src/index.ts', import.meta.url))
    const script = `
      const { createSandbox, prewarmSandbox } = await import(${JSON.stringify(index)})
      await prewarmSandbox({ count: 2 })
      const sb = await createSandbox({ functions: { f: async () => 1 } })
      const r = await sb.run('await f()')
      await sb.dispose()
      console.log(r.ok ? 'done' : 'failed')`
    const file = join(mkdtempSync(join(tmpdir(), 'rlm-sandbox-')), 'exit.mjs')
    writeFileSync(file, script)
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--conditions=@rlm/source', file], { timeout: 15_000 }, (error, out) =>
        error ? reject(error) : resolve(out),
      )
    })
    expect(stdout.trim()).toBe('done')
  })

  it('sandboxStats counts live sandboxes and workers; after dispose only the spares remain', async () => {
    await prewarmSandbox({ count: 2, memoryLimitBytes: 32 * MB })
    const before = sandboxStats()
    expect(before.spares).toBe(2)
    const boxes = await Promise.all([0, 1, 2].map(() => createSandbox({ memoryLimitBytes: 32 * MB })))
    const during = sandboxStats()
    expect(during.live).toBe(before.live + 3)
    expect(during.workers).toBeGreaterThanOrEqual(during.spares + 3)
    const failed = await createSandbox({ prelude: 'throw new Error("no")' }).catch((e: unknown) => e)
    expect(isRlmError(failed) && failed.code).toBe('E_SANDBOX_INIT')
    expect(sandboxStats().live).toBe(before.live + 3)
    await Promise.all(boxes.map((sb) => sb.dispose()))
    expect(sandboxStats().live).toBe(before.live)
    // Disposed workers have exited by the time dispose resolves; refills may still be booting.
    await until(() => sandboxStats().spares === 2)
    const after = sandboxStats()
    expect(after.workers).toBe(after.spares)
  })

  it('a disposed idle sandbox gives its worker back: the next create starts no thread and sees nothing of the old guest', async () => {
    await prewarmSandbox({ count: 1, memoryLimitBytes: 32 * MB })
    const started = sandboxStats().threadsStarted
    const budget = createMemoryBudget(256 * MB)
    const first = await createSandbox({
      memoryLimitBytes: 32 * MB,
      memoryBudget: budget,
      globals: { who: 'first' },
    })
    const polluted = await first.run(
      'globalThis.leak = who; Object.prototype.polluted = 1; Array.prototype.push = null; var big = "x".repeat(8e6); leak',
    )
    expect(polluted.ok && polluted.value).toBe('first')
    await first.dispose()
    // Refunded once the worker dropped the guest, and the worker is a spare again.
    expect(budget.usedBytes).toBe(0)
    expect(sandboxStats()).toMatchObject({ live: 0, spares: 1, workers: 1 })
    const second = await createSandbox({ memoryLimitBytes: 32 * MB, memoryBudget: budget })
    // The spare served the first sandbox and its thread the second: no thread was started.
    expect(sandboxStats().threadsStarted).toBe(started)
    const r = await second.run(
      '[typeof leak, typeof who, typeof big, ({}).polluted, typeof Array.prototype.push].join()',
    )
    expect(r.ok && r.value).toBe('undefined,undefined,undefined,,function')
    await second.dispose()
    expect(budget.usedBytes).toBe(0)
  })

  it('a sandbox disposed mid-run or after a kill does not give its worker back', async () => {
    await prewarmSandbox({ count: 1, memoryLimitBytes: 32 * MB })
    const busy = await createSandbox({ memoryLimitBytes: 32 * MB, timeoutMs: 5_000 })
    const spinning = busy.run('while (true) {}')
    await new Promise((r) => setTimeout(r, 100))
    const spares = spareCount()
    await busy.dispose()
    expect((await spinning).ok).toBe(false)
    expect(spareCount()).toBe(spares) // the spinning worker was terminated, not pooled
    const killed = await createSandbox({ memoryLimitBytes: 32 * MB, timeoutMs: 200 })
    // An uninterruptible builtin: the host kills the worker at the deadline and starts another.
    const r = await killed.run('Array.prototype.join.call({ length: 2 ** 32 })')
    expect(!r.ok && r.error.code).toBe('E_TIMEOUT')
    expect((await killed.run('1 + 1')).ok).toBe(true)
    await killed.dispose()
    expect(sandboxStats().workers).toBe(sandboxStats().spares)
  })

  it('rejects bad prewarm options with E_CONFIG', async () => {
    for (const bad of [{ count: -1 }, { count: 1.5 }, { count: 1000 }, { memoryLimitBytes: 10 }]) {
      const error = await prewarmSandbox(bad).catch((e: unknown) => e)
      expect(isRlmError(error) && error.code).toBe('E_CONFIG')
    }
  })
})
