// A counting semaphore in Redis: the cap on sub-calls in flight across every worker. Each holder
// has a lease it renews while its call runs, so a worker that dies frees its slots by itself.
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import { pollUntilGranted } from './redis-poll.ts'

// KEYS: leases (zset: id -> lease end ms). ARGV: id, max, leaseMs. Returns -1 or ms to wait.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
  return -1
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(first[2]) - now)
`

const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1
`

export interface RedisSemaphore {
  /** Waits for a slot; the returned function gives it back. */
  acquire(signal?: AbortSignal): Promise<() => void>
}

export function createRedisSemaphore(options: {
  redis: Redis
  key: string
  max: number
  /** Lease per holder, renewed at a third of it while held (default 30 s). */
  leaseMs?: number
  /** Longest sleep between two tries while every slot is taken (default 25 ms). */
  pollMs?: number
}): RedisSemaphore {
  const { redis, key, max } = options
  const leaseMs = options.leaseMs ?? 30_000
  const pollMs = options.pollMs ?? 25
  return {
    async acquire(signal) {
      const id = randomUUID()
      await pollUntilGranted(async () => Number(await redis.eval(ACQUIRE, 1, key, id, max, leaseMs)), {
        maxSleepMs: pollMs,
        signal,
        what: 'a sub-call slot',
      })
      const renew = setInterval(() => {
        redis.eval(RENEW, 1, key, id, leaseMs).catch(() => {})
      }, leaseMs / 3)
      renew.unref()
      let released = false
      return () => {
        if (released) return
        released = true
        clearInterval(renew)
        redis.zrem(key, id).catch(() => {})
      }
    },
  }
}
