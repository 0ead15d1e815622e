// A create made while the process's first prewarm is still compiling QuickJS: its own file, as
// the pool is per process (the first compile must still be pending).
import { describe, expect, it } from 'vitest'
import { createSandbox, prewarmSandbox, sandboxStats } from '../src/index.ts'

describe('the first prewarm of a process', () => {
  it('starts its spare at once, so a create made before QuickJS is compiled takes it: one thread, not two', async () => {
    const warming = prewarmSandbox({ count: 1 })
    const box = await createSandbox()
    await warming
    expect((await box.run('1 + 1')).ok).toBe(true)
    expect(sandboxStats().threadsStarted).toBe(1)
    await box.dispose()
    expect(sandboxStats()).toMatchObject({ threadsStarted: 1, spares: 1 })
  })
})
