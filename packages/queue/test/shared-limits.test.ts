import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisRateLimiter, createRedisSemaphore } from '../src/index.ts'
import { type RedisServer, startRedisServer } from '../src/testing/index.ts'

let server: RedisServer
const clients: Redis[] = []
const client = (): Redis => {
  const c = new Redis(server.url)
  clients.push(c)
  return c
}
beforeAll(async () => {
  server = await startRedisServer({ appendOnly: false })
})
afterAll(async () => {
  for (const c of clients) c.disconnect()
  await server?.close()
})

/** Most grants inside any window of `windowMs` (each grant counted from grant to settle + window). */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let best = 0
  for (let i = 0; i < sorted.length; i++) {
    let j = i
    while (j < sorted.length && (sorted[j] as number) < (sorted[i] as number) + windowMs) j++
    best = Math.max(best, j - i)
  }
  return best
}

describe('createRedisRateLimiter', () => {
  it('holds three limiters on separate connections to one limit per window', async () => {
    const windowMs = 400
    const limiters = [0, 1, 2].map(() =>
      createRedisRateLimiter({ redis: client(), key: 'rl:a', requests: 4, windowMs }),
    )
    const granted: number[] = []
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const booking = await (limiters[i % 3] as (typeof limiters)[number]).acquire(1)
        granted.push(Date.now())
        booking.settle(1)
      }),
    )
    expect(granted).toHaveLength(12)
    // Generous slack: only the count per window is asserted, never a duration.
    expect(maxInWindow(granted, windowMs - 50)).toBeLessThanOrEqual(4)
  })

  it('counts tokens, corrected by settle()', async () => {
    const limiter = createRedisRateLimiter({ redis: client(), key: 'rl:t', tokens: 100, windowMs: 60_000 })
    const first = await limiter.acquire(90)
    first.settle(10) // the call used fewer tokens than estimated
    await limiter.acquire(80) // fits only because the estimate was corrected
    const controller = new AbortController()
    const third = limiter.acquire(50, controller.signal)
    setTimeout(() => controller.abort(), 200)
    await expect(third).rejects.toMatchObject({ code: 'E_ABORTED' })
  })

  it('rejects a limit without requests or tokens per positive window (E_CONFIG)', () => {
    expect(() => createRedisRateLimiter({ redis: client(), key: 'x', windowMs: 0, requests: 1 })).toThrow(
      /windowMs/,
    )
  })
})

describe('createRedisSemaphore', () => {
  it('never lets more holders in than its cap, across connections', async () => {
    const sems = [0, 1].map(() => createRedisSemaphore({ redis: client(), key: 'sem:a', max: 3 }))
    let inside = 0
    let most = 0
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const release = await (sems[i % 2] as (typeof sems)[number]).acquire()
        inside++
        most = Math.max(most, inside)
        await new Promise((r) => setTimeout(r, 20))
        inside--
        release()
      }),
    )
    expect(most).toBe(3)
  })

  it("frees a dead holder's slot when its lease runs out", async () => {
    const holder = client()
    const sem = createRedisSemaphore({ redis: holder, key: 'sem:b', max: 1, leaseMs: 300 })
    await sem.acquire() // never released: its worker dies and its renewals stop with the connection
    holder.disconnect()
    const other = createRedisSemaphore({ redis: client(), key: 'sem:b', max: 1, leaseMs: 300 })
    const release = await other.acquire()
    release()
  })
})
