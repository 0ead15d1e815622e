// One rate limit for every worker: a sliding window of bookings kept in Redis and checked and
// booked by one Lua script on Redis's own clock. A booking counts from the moment it is granted
// until one window after its call finished, so the provider never sees more than the limit in
// any window, however long calls take or however late a request leaves the worker.
import { randomUUID } from 'node:crypto'
import { RlmError } from '@rlm/errors'
import type { RateLimiter } from '@rlm/providers'
import type { Redis } from 'ioredis'
import { pollUntilGranted } from './redis-poll.ts'

export interface SharedRateLimit {
  /** Requests per window. */
  requests?: number
  /** Tokens (input + output) per window. */
  tokens?: number
  windowMs: number
}

export interface RedisRateLimiterOptions extends SharedRateLimit {
  redis: Redis
  /** The Redis key of this limit (one per provider, or per provider and API key). */
  key: string
  /** A call that neither finishes nor settles holds its booking this long at most (default 10 min). */
  leaseMs?: number
}

// KEYS: bookings (zset: id -> counts-until ms), tokens (hash: id -> tokens).
// ARGV: id, tokens, maxRequests, maxTokens (-1: none), windowMs, leaseMs. Returns -1 or ms to wait.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
for i = 1, #expired, 500 do
  redis.call('HDEL', KEYS[2], unpack(expired, i, math.min(i + 499, #expired)))
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local count = redis.call('ZCARD', KEYS[1])
local tokens = tonumber(ARGV[2])
local maxTokens = tonumber(ARGV[4])
local fits = count < tonumber(ARGV[3])
if fits and maxTokens >= 0 and count > 0 then
  local used = 0
  for _, v in ipairs(redis.call('HVALS', KEYS[2])) do used = used + tonumber(v) end
  fits = used + tokens <= maxTokens
end
if fits then
  local lease = tonumber(ARGV[6])
  redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
  redis.call('HSET', KEYS[2], ARGV[1], tokens)
  local ttl = lease + tonumber(ARGV[5])
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
  return -1
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(first[2]) - now)
`

// ARGV: id, actual tokens, windowMs. The booking now counts until one window after this moment.
const SETTLE = `
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[3]), ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
`

export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const { redis, key, windowMs } = options
  const maxRequests = options.requests ?? Number.MAX_SAFE_INTEGER
  const maxTokens = options.tokens ?? -1
  const leaseMs = options.leaseMs ?? 600_000
  if (!(windowMs > 0) || !(maxRequests > 0) || (options.tokens !== undefined && !(options.tokens > 0))) {
    throw new RlmError(
      'E_CONFIG',
      `rateLimits['${key}'] needs a positive windowMs and positive requests or tokens.`,
      {
        details: { key, windowMs, requests: options.requests, tokens: options.tokens },
      },
    )
  }
  const keys = [`${key}:bookings`, `${key}:tokens`]
  let pending = 0
  return {
    get pending() {
      return pending
    },
    async acquire(tokens, signal) {
      const id = randomUUID()
      pending++
      try {
        await pollUntilGranted(
          async () =>
            Number(
              await redis.eval(ACQUIRE, 2, ...keys, id, tokens, maxRequests, maxTokens, windowMs, leaseMs),
            ),
          { maxSleepMs: Math.max(5, windowMs / 20), signal, what: `the shared rate limit '${key}'` },
        )
      } finally {
        pending--
      }
      let settled = false
      return {
        settle(actual: number) {
          if (settled) return
          settled = true
          redis.eval(SETTLE, 2, ...keys, id, actual, windowMs).catch(() => {
            // Redis gone: the booking expires with its lease, erring on the side of fewer calls.
          })
        },
      }
    },
  }
}
