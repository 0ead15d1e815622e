// `rlm worker`'s flags as createRunWorker options: whole numbers, durations and rate limits
// (`--rate-limit openai=500/1m`, `--rate-limit openai=2000000tok/1m`) checked with usage errors.

import type { RunWorkerOptions } from '@rlm/queue'
import { parseDuration } from '../duration.ts'
import { usageError } from '../usage-error.ts'

type RateLimits = NonNullable<RunWorkerOptions['rateLimits']>

function positiveInt(flag: string, value: unknown): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1)
    throw usageError(`${flag}: expected a whole number of 1 or more (got ${JSON.stringify(value)}).`)
  return n
}

function duration(flag: string, value: unknown): number {
  const ms = parseDuration(String(value))
  if (ms === undefined)
    throw usageError(`${flag}: expected a duration such as 30s or 500ms (got ${JSON.stringify(value)}).`)
  return ms
}

/** `provider=N/window` (requests) or `provider=Ntok/window` (tokens); both may be given for one provider. */
export function parseRateLimits(values: readonly string[]): RateLimits {
  const limits: RateLimits = {}
  for (const value of values) {
    const m = /^([\w-]+)=(\d+)(tok)?\/(.+)$/.exec(value.trim())
    const windowMs = m?.[4] === undefined ? undefined : parseDuration(m[4])
    if (!m?.[1] || !m[2] || windowMs === undefined || Number(m[2]) < 1) {
      throw usageError(
        `--rate-limit: expected <provider>=<requests>/<window> or <provider>=<tokens>tok/<window>, e.g. openai=500/1m (got ${JSON.stringify(value)}).`,
      )
    }
    const entry: RateLimits[string] = limits[m[1]] ?? { windowMs }
    if (entry.windowMs !== windowMs)
      throw usageError(`--rate-limit: give ${m[1]}'s requests and tokens over the same window.`)
    if (m[3]) entry.tokens = Number(m[2])
    else entry.requests = Number(m[2])
    limits[m[1]] = entry
  }
  return limits
}

export function workerOptionsOf(opts: Record<string, unknown>, redis: string): RunWorkerOptions {
  const rateLimits = parseRateLimits((opts.rateLimit as string[] | undefined) ?? [])
  const allow = (opts.urlAllow as string[] | undefined) ?? []
  return {
    redis,
    ...(typeof opts.queueName === 'string' && { name: opts.queueName }),
    concurrency: opts.concurrency === undefined ? 1 : positiveInt('--concurrency', opts.concurrency),
    ...(Object.keys(rateLimits).length > 0 && { rateLimits }),
    ...(opts.maxSubCalls !== undefined && {
      maxSubCallConcurrency: positiveInt('--max-sub-calls', opts.maxSubCalls),
    }),
    ...(typeof opts.traceDir === 'string' && { traceDir: opts.traceDir }),
    ...(opts.lockDuration !== undefined && {
      lockDurationMs: duration('--lock-duration', opts.lockDuration),
    }),
    ...(opts.stalledInterval !== undefined && {
      stalledIntervalMs: duration('--stalled-interval', opts.stalledInterval),
    }),
    ...(allow.length > 0 && { urlAllowlist: allow }),
  }
}
