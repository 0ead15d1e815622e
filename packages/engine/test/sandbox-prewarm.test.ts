// createRlm starts the sandbox pool in the background: a process's first run takes a warm worker
// instead of booting one after its first model reply. Its own file: the pool is per process.
import { createScripted } from '@rlm/providers'
import { sandboxStats } from '@rlm/sandbox'
import { describe, expect, it } from 'vitest'
import { createRlm } from '../src/index.ts'
import { js } from './scripted.ts'

const flat = createScripted(() => js('FINAL(String(context.length))'))

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const stop = Date.now() + ms
  while (!check() && Date.now() < stop) await new Promise((r) => setTimeout(r, 20))
}

describe('createRlm warms the sandbox pool', () => {
  it('prewarmSandboxes: 0 leaves the pool alone', async () => {
    createRlm({ model: flat, prewarmSandboxes: 0 })
    await new Promise((r) => setTimeout(r, 200))
    expect(sandboxStats().threadsStarted).toBe(0)
  })

  it('otherwise one worker is warmed at once, and the first run takes it', async () => {
    const rlm = createRlm({ model: flat, maxDepth: 1 })
    await until(() => sandboxStats().spares === 1)
    const warmed = sandboxStats()
    expect(warmed).toMatchObject({ spares: 1, threadsStarted: 1 })
    expect((await rlm.run({ query: 'q', context: 'ab' })).answer).toBe('2')
    expect(sandboxStats().threadsStarted).toBe(1)
  })
})
