// Which Redis the queue commands use (--redis, else RLM_REDIS_URL), checked before any queue is
// opened: the queue's clients wait for Redis forever, so a wrong address must fail here, fast.

import { connect } from 'node:net'
import { RlmError } from '@rlm/errors'

const REACH_TIMEOUT_MS = 5_000

/** The Redis URL of --redis or RLM_REDIS_URL; E_CONFIG naming both when neither is set. */
export function redisUrlOf(opts: Record<string, unknown>): string {
  const flag = typeof opts.redis === 'string' && opts.redis !== '' ? opts.redis : undefined
  const url = flag ?? (process.env.RLM_REDIS_URL || undefined)
  if (!url) {
    throw new RlmError(
      'E_CONFIG',
      'No Redis to queue runs on: pass --redis redis://host:6379 or set RLM_REDIS_URL (every submitter and worker of a queue uses the same one).',
    )
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new RlmError(
      'E_CONFIG',
      `${flag ? '--redis' : 'RLM_REDIS_URL'} is not a URL: expected redis://host:port.`,
    )
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new RlmError(
      'E_CONFIG',
      `${flag ? '--redis' : 'RLM_REDIS_URL'} must start with redis:// or rediss:// (got ${parsed.protocol}//).`,
    )
  }
  return url
}

/** Resolves once a TCP connection to the URL's host and port opens; E_QUEUE_REDIS otherwise. */
export function assertRedisReachable(url: string): Promise<void> {
  const { hostname, port } = new URL(url)
  const host = hostname.replace(/^\[|\]$/g, '') || '127.0.0.1'
  const where = `${host}:${port || 6379}`
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(port || 6379) })
    const fail = (why: string): void => {
      socket.destroy()
      reject(
        new RlmError(
          'E_QUEUE_REDIS',
          `Could not reach Redis at ${where} (${why}): start redis-server there, or point --redis / RLM_REDIS_URL at the queue's Redis.`,
        ),
      )
    }
    socket.setTimeout(REACH_TIMEOUT_MS, () => fail(`no answer in ${REACH_TIMEOUT_MS / 1000} s`))
    socket.once('error', (e: NodeJS.ErrnoException) => fail(e.code ?? e.message))
    socket.once('connect', () => {
      socket.end()
      resolve()
    })
  })
}

/** The URL to use, after checking that Redis answers there. */
export async function reachableRedis(opts: Record<string, unknown>): Promise<string> {
  const url = redisUrlOf(opts)
  await assertRedisReachable(url)
  return url
}
