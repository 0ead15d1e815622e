// Serves the fetch handler on Node's http module. A host that is not loopback needs a token (the
// server refuses to start otherwise). close() stops accepting connections, lets the runs finish
// for the grace period, then cancels them, so every trace is closed and streams end cleanly.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import { RlmError } from '@rlm/errors'
import { isLoopbackHostname } from './loopback.ts'

export interface ListenOptions {
  /** Default 8787; 0 picks a free port. */
  port?: number
  /** Default 127.0.0.1. Any other interface needs a token. */
  host?: string
}

export interface ListeningServer extends AsyncDisposable {
  /** http://<host>:<port> */
  readonly url: string
  readonly port: number
  readonly host: string
  readonly server: Server
  /** Stops accepting, lets runs finish for `graceMs` (default 30 s), cancels the rest, closes every connection. */
  close(graceMs?: number): Promise<void>
}

export const DEFAULT_PORT = 8787
export const DEFAULT_HOST = '127.0.0.1'
/** After the runs ended, connections still open (idle keep-alive, slow readers) get this long. */
const CONNECTION_DRAIN_MS = 2_000

export async function listenNode(
  fetch: (request: Request) => Response | Promise<Response>,
  options: ListenOptions & { token: string | undefined; shutdown: (graceMs?: number) => Promise<void> },
): Promise<ListeningServer> {
  const host = options.host ?? DEFAULT_HOST
  const port = options.port ?? DEFAULT_PORT
  if (options.token === undefined && !isLoopbackHostname(host)) {
    throw new RlmError(
      'E_CONFIG',
      `Refusing to listen on ${host} without a token: anyone who can reach it could run models on your keys. Pass --token (or set RLM_SERVER_TOKEN), or listen on 127.0.0.1.`,
    )
  }
  // The app's Request/Response stay Node's own: a library does not replace the process's globals.
  const server = createServer(getRequestListener(fetch, { overrideGlobalObjects: false }))
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new RlmError(
          'E_CONFIG',
          err.code === 'EADDRINUSE'
            ? `Port ${port} on ${host} is already in use; pick another with --port (0 picks a free one).`
            : `Cannot listen on ${host}:${port}: ${err.message}.`,
          { cause: err },
        ),
      ),
    )
    server.listen({ host, port }, resolve)
  })
  const address = server.address() as AddressInfo
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  let closing: Promise<void> | undefined
  const close = (graceMs?: number): Promise<void> => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      await options.shutdown(graceMs)
      server.closeIdleConnections()
      const drained = await Promise.race([
        closed.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), CONNECTION_DRAIN_MS).unref()),
      ])
      if (!drained) server.closeAllConnections()
      await closed
    })()
    return closing
  }
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    host,
    server,
    close,
    [Symbol.asyncDispose]: () => close(),
  }
}
