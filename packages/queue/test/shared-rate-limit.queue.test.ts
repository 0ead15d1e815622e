// One rate limit for every worker: 3 workers x 50 jobs against one loopback model server under a
// shared limit scaled down in time (10 requests per 500 ms); the server's own arrival log never
// shows more than 10 requests in any 500 ms. And the sub-call cap holds across workers.
import { createOpenAICompatibleServer, type ReceivedRequest } from '@rlm/providers/testing'
import { describe, expect, it } from 'vitest'
import { createRunQueue, createRunWorker, type RunWorker } from '../src/index.ts'
import { js, useRedisServer } from './queue-fixture.ts'

const redis = useRedisServer({ appendOnly: false })

const isSub = (r: ReceivedRequest): boolean => r.messages[0]?.role !== 'system'

/** Most arrivals inside any window [t, t + windowMs). */
function mostInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let most = 0
  let j = 0
  for (let i = 0; i < sorted.length; i++) {
    while (j < sorted.length && (sorted[j] as number) < (sorted[i] as number) + windowMs) j++
    most = Math.max(most, j - i)
  }
  return most
}

async function runAll(name: string, workers: RunWorker[], jobs: number, model: string): Promise<string[]> {
  const queue = createRunQueue({ redis: redis().url, name })
  try {
    const ids: string[] = []
    for (let i = 0; i < jobs; i++) {
      const { id } = await queue.submit({
        query: `job ${i}`,
        context: { kind: 'inline', text: `ctx ${i}` },
        config: { model },
      })
      ids.push(id)
    }
    const states: string[] = []
    for (const id of ids) states.push((await queue.wait(id)).state)
    return states
  } finally {
    await Promise.all(workers.map((w) => w.close()))
    await queue.close()
  }
}

describe('limits shared by every worker', () => {
  it('3 workers x 50 jobs: never more than 10 requests in any 500 ms at the model server', async () => {
    await using server = await createOpenAICompatibleServer({ replies: () => js('FINAL("ok")') })
    const name = 'limited'
    const rateLimits = { 'openai-compatible': { requests: 10, windowMs: 500 } }
    const workers = [0, 1, 2].map(() =>
      createRunWorker({ redis: redis().url, name, concurrency: 4, rateLimits }),
    )
    const states = await runAll(name, workers, 150, `openai-compatible:m@${server.baseURL}`)
    expect(states.every((s) => s === 'completed')).toBe(true)
    expect(server.requests).toHaveLength(150)
    expect(
      mostInWindow(
        server.requests.map((r) => r.receivedAt),
        500,
      ),
    ).toBeLessThanOrEqual(10)
    // the limit is used, not just obeyed: some window is full
    expect(
      mostInWindow(
        server.requests.map((r) => r.receivedAt),
        500,
      ),
    ).toBeGreaterThanOrEqual(5)
  }, 120_000)

  it('the sub-call cap holds across workers: never more than 3 sub-calls in flight at the server', async () => {
    let inFlight = 0
    let most = 0
    await using server = await createOpenAICompatibleServer({
      replies: async (req) => {
        if (!isSub(req)) {
          const answered = req.messages.some((m) => m.role === 'assistant')
          return answered
            ? js('FINAL("ok")')
            : js('const r = await llm_query_batched(["a", "b", "c", "d"])\nprint(r.length)')
        }
        inFlight++
        most = Math.max(most, inFlight)
        await new Promise((r) => setTimeout(r, 50))
        inFlight--
        return 'sub'
      },
    })
    const name = 'capped'
    const workers = [0, 1, 2].map(() =>
      createRunWorker({ redis: redis().url, name, concurrency: 2, maxSubCallConcurrency: 3 }),
    )
    const states = await runAll(name, workers, 12, `openai-compatible:m@${server.baseURL}`)
    expect(states.every((s) => s === 'completed')).toBe(true)
    expect(server.requests.filter(isSub)).toHaveLength(48)
    expect(most).toBeLessThanOrEqual(3)
    expect(most).toBeGreaterThanOrEqual(2)
  }, 120_000)
})
