// The run manager alone, with any createRlm instance: queueing order, cancelling a queued run,
// and the bound on events held in memory when there are no trace files.

import { createRlm } from '@rlm/engine'
import { describe, expect, it } from 'vitest'
import { createRunManager } from '../src/index.ts'
import { scriptedRlm } from './harness.ts'

const request = (query: string, latencyMs = 0) => ({
  kind: 'run' as const,
  model: 'rlm',
  query,
  rlm: createRlm({ model: scriptedRlm({ latencyMs }) }),
  context: async () => 'one\ntwo',
})

describe('createRunManager', () => {
  it('runs one at a time in order, and cancels a queued run without starting it', async () => {
    const started: string[] = []
    const runs = createRunManager({
      maxConcurrentRuns: 1,
      observers: [{ onStart: (r) => started.push(r.query) }],
    })
    const a = runs.submit(request('a', 200)).run
    const b = runs.submit(request('b')).run
    const c = runs.submit(request('c')).run
    expect([a.status, b.status, c.status]).toEqual(['running', 'queued', 'queued'])
    expect(b.cancel('request')).toBe(true)
    await Promise.all([a.done, b.done, c.done])
    expect(started).toEqual(['a', 'c'])
    expect([a.status, b.status, c.status]).toEqual(['final', 'cancelled', 'final'])
    expect(b.eventCount).toBe(0)
    expect(b.cancel('request')).toBe(false)
  })

  it("forgets the oldest finished runs' events past maxEventsInMemory, keeping their state", async () => {
    const runs = createRunManager({ maxConcurrentRuns: 1, maxEventsInMemory: 30 })
    const done = []
    for (const q of ['a', 'b', 'c']) {
      const { run } = runs.submit(request(q))
      await run.done
      done.push(run)
    }
    const [a, , c] = done
    expect(c?.eventsInMemory).toBe(c?.eventCount)
    expect(a?.eventsAfter(0)).toEqual([])
    expect(a?.status).toBe('final')
    expect(a?.tree.root?.status).toBe('final')
    expect(done.reduce((n, r) => n + r.eventsInMemory, 0)).toBeLessThanOrEqual(30)
  })
})
