// Runs reuse sandbox workers: a run that never starts a child boots no spares for children, and
// runs one after another take the worker the previous run gave back instead of starting threads.
import { createScripted } from '@rlm/providers'
import { sandboxStats } from '@rlm/sandbox'
import { describe, expect, it } from 'vitest'
import { createRlm } from '../src/index.ts'
import { js } from './scripted.ts'

const flat = createScripted(() => js('FINAL(String(context.length))'))

const withChildren = createScripted((req) => {
  const head = req.messages[1]!.content
  const turn = req.messages.filter((m) => m.role === 'assistant').length
  if (head.includes('Query: CHILD')) return js('FINAL("child " + context)')
  if (turn === 0)
    return js(
      'const got = await rlm_query_batched([{ query: "CHILD", text: "a" }, { query: "CHILD", text: "b" }])',
    )
  return js('FINAL(got.join("|"))')
})

describe('sandbox reuse across runs', () => {
  it('a run that starts no child keeps no spares for children; the next runs start no threads', async () => {
    const rlm = createRlm({ model: flat, maxDepth: 2 })
    expect((await rlm.run({ query: 'q', context: 'abc' })).answer).toBe('3')
    const afterFirst = sandboxStats()
    expect(afterFirst.live).toBe(0)
    // Only the root's worker, given back: no pool of spares for children that never came.
    expect(afterFirst.spares).toBeLessThanOrEqual(1)
    for (let i = 0; i < 3; i++) expect((await rlm.run({ query: 'q', context: 'abcd' })).answer).toBe('4')
    const after = sandboxStats()
    expect(after.spares).toBeLessThanOrEqual(1)
    // A refill can start one thread on a machine so loaded that a run outlasts its delay.
    expect(after.threadsStarted - afterFirst.threadsStarted).toBeLessThanOrEqual(1)
  })

  it('a run that starts children keeps spares for them, and the children give their workers back', async () => {
    const rlm = createRlm({ model: withChildren, maxDepth: 2, concurrency: 2 })
    const r = await rlm.run({ query: 'ROOT', context: 'abc' })
    expect(r.answer).toBe('child a|child b')
    const stats = sandboxStats()
    expect(stats.live).toBe(0)
    expect(stats.spares).toBeGreaterThanOrEqual(2)
    expect(stats.workers).toBe(stats.spares)
    // The next runs, root and children, take the workers the last one gave back.
    for (let i = 0; i < 2; i++)
      expect((await rlm.run({ query: 'ROOT', context: 'abc' })).answer).toBe('child a|child b')
    expect(sandboxStats().threadsStarted - stats.threadsStarted).toBeLessThanOrEqual(1)
  })
})
