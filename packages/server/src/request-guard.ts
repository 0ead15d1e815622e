// Who may talk to the server. With a token: every request but /healthz carries
// `Authorization: Bearer <token>` (or, for the viewer page and its event stream, which a browser
// opens without headers, `?token=`),
// compared in constant time. Without one (loopback only): a request whose Host or Origin is not
// loopback is refused, so a web page cannot reach the server through DNS rebinding.

import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { ApiError } from './api-error.ts'
import { isLoopbackHostHeader, isLoopbackOrigin } from './loopback.ts'

/** What a browser opens without a way to set headers: the viewer page and the stream it follows. */
const BROWSER_PAGES = /^\/v1\/runs\/[^/]+\/(?:view|events)$/

const digest = (s: string): Buffer => createHash('sha256').update(s).digest()

export function requestGuard(token: string | undefined): MiddlewareHandler {
  const expected = token === undefined ? undefined : digest(token)
  return async (c, next) => {
    if (expected === undefined) {
      const host = c.req.header('host')
      const origin = c.req.header('origin')
      if (!isLoopbackHostHeader(host) || (origin !== undefined && !isLoopbackOrigin(origin))) {
        throw new ApiError(
          403,
          'E_ORIGIN',
          `Refused a request for Host ${JSON.stringify(host ?? '')}${origin === undefined ? '' : ` from Origin ${JSON.stringify(origin)}`}: without a token this server answers only loopback hosts and pages; start it with --token (or RLM_SERVER_TOKEN) to serve other hosts.`,
        )
      }
      return next()
    }
    if (c.req.path === '/healthz') return next()
    const header = c.req.header('authorization') ?? ''
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim()
    const given =
      bearer ?? (c.req.method === 'GET' && BROWSER_PAGES.test(c.req.path) ? c.req.query('token') : undefined)
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      throw new ApiError(
        401,
        'E_AUTH',
        given === undefined
          ? 'This server needs a token: send the header Authorization: Bearer <token> (the OpenAI SDKs send their apiKey this way).'
          : "The token is not this server's; send the one it was started with (--token or RLM_SERVER_TOKEN).",
        { headers: { 'www-authenticate': 'Bearer' } },
      )
    }
    return next()
  }
}
