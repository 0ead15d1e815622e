// One way to open Redis from a `redis://` URL: validated up front (E_CONFIG naming the option),
// and with the settings BullMQ needs for blocking connections.
import { RlmError } from '@rlm/errors'
import { Redis } from 'ioredis'

export function checkRedisUrl(url: unknown, option = 'redis'): string {
  if (typeof url !== 'string' || url.length === 0) {
    throw new RlmError(
      'E_CONFIG',
      `${option} must be a Redis URL such as redis://127.0.0.1:6379 (or set RLM_REDIS_URL).`,
    )
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (cause) {
    throw new RlmError('E_CONFIG', `${option} is not a URL: '${url}'. Expected redis://host:port.`, { cause })
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new RlmError(
      'E_CONFIG',
      `${option} must start with redis:// or rediss://, got '${parsed.protocol}//'.`,
    )
  }
  return url
}

/** BullMQ's connection settings for a URL: commands wait for a reconnect instead of failing. */
export function bullConnection(url: string): { url: string; maxRetriesPerRequest: null } {
  return { url, maxRetriesPerRequest: null }
}

/**
 * A plain client for the queue's own keys (events, journal, limits). Commands wait through a
 * Redis restart and are sent again once it is back; connection errors are not thrown at the
 * process (ioredis would print each reconnect attempt as an unhandled error event).
 */
export function openRedis(url: string, options: { autoPipelining?: boolean } = {}): Redis {
  // Auto-pipelining sends the commands of one tick in one write: a run's events, journal entries
  // and lease renewals from many concurrent jobs cost a few syscalls instead of one each.
  const client = new Redis(url, {
    maxRetriesPerRequest: null,
    enableAutoPipelining: options.autoPipelining ?? false,
  })
  client.on('error', () => {})
  return client
}
