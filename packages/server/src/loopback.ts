// What counts as loopback: for the address the server binds (refusing a public bind without a
// token) and for the Host and Origin headers of requests (refusing DNS rebinding without one).

import { isIP } from 'node:net'

/** 127.0.0.0/8, ::1 (and IPv4-mapped 127.x), "localhost" and names under ".localhost". */
export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
  if (h === 'localhost' || h.endsWith('.localhost')) return true
  if (isIP(h) === 4) return h.startsWith('127.')
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h) || h === '0:0:0:0:0:0:0:1'
  return false
}

/** A Host header ("127.0.0.1:8787", "[::1]:8787", "localhost"); a missing one is not loopback. */
export function isLoopbackHostHeader(host: string | undefined): boolean {
  if (!host) return false
  try {
    return isLoopbackHostname(new URL(`http://${host}`).hostname)
  } catch {
    return false
  }
}

/** An Origin header ("http://localhost:3000"); "null" (sandboxed or file pages) is not loopback. */
export function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin)
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHostname(url.hostname)
  } catch {
    return false
  }
}
