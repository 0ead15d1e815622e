// Who may talk to the HTTP endpoint. With a token: only requests carrying it as a bearer token.
// Without one the server listens on loopback only, and refuses requests whose Host or Origin is
// not loopback: a web page the user visits could otherwise reach it by DNS rebinding.

import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { isIP } from 'node:net'
import type { ErrorCode } from '@rlm/errors'

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; code: ErrorCode; message: string }

/** 127.0.0.0/8, ::1 (bracketed or not) and localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  if (h === 'localhost' || h === '::1') return true
  return isIP(h) === 4 && h.startsWith('127.')
}

/** The host name of a Host header ("127.0.0.1:8788", "[::1]:80", "localhost"). */
export function hostHeaderName(value: string): string {
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1)
  const colon = value.lastIndexOf(':')
  return colon === -1 ? value : value.slice(0, colon)
}

function originIsLoopback(origin: string): boolean {
  try {
    const url = new URL(origin)
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname)
  } catch {
    return false // "null" (a sandboxed page, a file://) or garbage
  }
}

function sameToken(given: string, token: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(token).digest()
  return timingSafeEqual(a, b)
}

export function checkRequest(headers: IncomingHttpHeaders, token: string | undefined): GuardVerdict {
  if (token !== undefined) {
    const auth = headers.authorization ?? ''
    const match = /^Bearer\s+(.+)$/i.exec(auth)
    if (match && sameToken((match[1] as string).trim(), token)) return { ok: true }
    return {
      ok: false,
      status: 401,
      code: 'E_AUTH',
      message:
        'This MCP server needs its token: send "Authorization: Bearer <token>" (the token the server was started with, --token or RLM_MCP_TOKEN).',
    }
  }
  const host = headers.host ?? ''
  if (!isLoopbackHost(hostHeaderName(host))) {
    return {
      ok: false,
      status: 403,
      code: 'E_ORIGIN',
      message: `Host "${host}" is not loopback, and this server has no token: connect through 127.0.0.1 or localhost, or start the server with a token.`,
    }
  }
  const origin = headers.origin
  if (origin !== undefined && !originIsLoopback(origin)) {
    return {
      ok: false,
      status: 403,
      code: 'E_ORIGIN',
      message: `Origin "${origin}" is not loopback, and this server has no token: web pages may not call it. Start the server with a token to allow other origins.`,
    }
  }
  return { ok: true }
}
