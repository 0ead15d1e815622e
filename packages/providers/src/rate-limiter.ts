// Client-side rate limiter: requests and tokens per sliding window (a minute by default).
// Callers wait in FIFO order instead of failing, so a free tier's 30 req/min is simply obeyed.
import { RlmError } from '@rlm/errors'
import { abortError } from './provider-errors.ts'

export interface RateLimitOptions {
  requestsPerMinute?: number
  tokensPerMinute?: number
  /** Window length; one minute unless a test or an odd provider needs another. */
  windowMs?: number
}

export interface RateLimiter {
  /** Waits until a call costing `tokens` fits, then books it; returns a handle to correct the estimate. */
  acquire(tokens: number, signal?: AbortSignal): Promise<{ settle(actualTokens: number): void }>
  /** Calls waiting right now. */
  readonly pending: number
}

interface Booking {
  at: number
  tokens: number
}

interface Waiter {
  tokens: number
  resolve: () => void
  reject: (err: unknown) => void
  signal?: AbortSignal
  onAbort?: () => void
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const windowMs = options.windowMs ?? 60_000
  const maxRequests = options.requestsPerMinute ?? Number.POSITIVE_INFINITY
  const maxTokens = options.tokensPerMinute ?? Number.POSITIVE_INFINITY
  if (!(maxRequests > 0) || !(maxTokens > 0) || !(windowMs > 0)) {
    throw new RlmError(
      'E_CONFIG',
      'rateLimit needs positive requestsPerMinute, tokensPerMinute and windowMs.',
      {
        details: { ...options },
      },
    )
  }
  const bookings: Booking[] = []
  let tokensInWindow = 0
  const queue: Waiter[] = []
  let timer: NodeJS.Timeout | undefined

  const expire = (now: number): void => {
    while (bookings.length > 0 && (bookings[0] as Booking).at + windowMs <= now) {
      tokensInWindow -= (bookings.shift() as Booking).tokens
    }
  }
  // A single call larger than the whole budget would wait forever; let it through alone instead.
  const fits = (tokens: number): boolean =>
    bookings.length < maxRequests && (tokensInWindow + tokens <= maxTokens || bookings.length === 0)

  const pump = (): void => {
    const now = Date.now()
    expire(now)
    while (queue.length > 0 && fits((queue[0] as Waiter).tokens)) {
      const w = queue.shift() as Waiter
      if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort)
      bookings.push({ at: now, tokens: w.tokens })
      tokensInWindow += w.tokens
      w.resolve()
    }
    if (queue.length > 0 && timer === undefined && bookings.length > 0) {
      const wait = Math.max(1, (bookings[0] as Booking).at + windowMs - now)
      timer = setTimeout(() => {
        timer = undefined
        pump()
      }, wait)
    }
  }

  return {
    get pending() {
      return queue.length
    },
    async acquire(tokens, signal) {
      if (signal?.aborted) throw abortError({ provider: 'rate-limiter' }, signal.reason)
      const booked = await new Promise<Booking | undefined>((resolve, reject) => {
        const w: Waiter = { tokens, resolve: () => resolve(bookings[bookings.length - 1]), reject, signal }
        if (signal) {
          w.onAbort = () => {
            const i = queue.indexOf(w)
            if (i >= 0) queue.splice(i, 1)
            reject(abortError({ provider: 'rate-limiter' }, signal.reason))
          }
          signal.addEventListener('abort', w.onAbort, { once: true })
        }
        queue.push(w)
        pump()
      })
      return {
        settle(actual: number) {
          if (!booked || !bookings.includes(booked)) return
          tokensInWindow += actual - booked.tokens
          booked.tokens = actual
        },
      }
    },
  }
}
