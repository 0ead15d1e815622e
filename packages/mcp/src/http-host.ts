// Serves MCP over Streamable HTTP on one path (default /mcp): a session per client, each with its
// own server (its own roots and traces), behind the token/loopback guard of http-guard.ts and a
// body size cap. Closing stops every session, which aborts the runs still in progress.

import { randomUUID } from 'node:crypto'
import { createServer, type Server as HttpServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js'
import { type ErrorCode, RlmError, registerSecret } from '@rlm/errors'
import { checkRequest, isLoopbackHost } from './http-guard.ts'
import { createMcpServer } from './mcp-server.ts'
import { serverRootDirs } from './root-paths.ts'
import type { McpServerOptions } from './server-options.ts'

export interface McpHttpOptions {
  /** Options of every session's server. */
  server: McpServerOptions
  /** Default 127.0.0.1. Any other than loopback needs a token. */
  host?: string
  /** Default 0: a free port (see `port` of the result). */
  port?: number
  /** Bearer token every request must carry; required when `host` is not loopback. */
  token?: string
  /** Default /mcp. */
  path?: string
  /** Largest request body (default 16 MiB): rlm_ask's `text` travels in it. */
  maxBodyBytes?: number
}

export interface McpHttpServer extends AsyncDisposable {
  /** The endpoint, e.g. http://127.0.0.1:8788/mcp */
  readonly url: string
  readonly port: number
  /** Open sessions. */
  readonly sessions: number
  close(): Promise<void>
}

interface Session {
  server: Server
  transport: StreamableHTTPServerTransport
}

class HttpProblem extends Error {
  readonly status: number
  readonly code: ErrorCode
  constructor(status: number, code: ErrorCode, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}

function sendProblem(res: ServerResponse, p: HttpProblem): void {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    error: { code: -32000, message: `${p.code}: ${p.message}`, data: { code: p.code } },
    id: null,
  })
  res.writeHead(p.status, {
    'content-type': 'application/json',
    ...(p.status === 401 && { 'www-authenticate': 'Bearer realm="rlm"' }),
  })
  res.end(body)
}

async function readJson(req: IncomingMessage, max: number): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > max) {
      throw new HttpProblem(
        413,
        'E_LIMIT',
        `The request body is over ${max} bytes: send less text at once, or name files with paths instead.`,
      )
    }
    chunks.push(chunk as Buffer)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new HttpProblem(400, 'E_USAGE', 'The request body is not JSON: send a JSON-RPC message.')
  }
}

function checkStart(options: McpHttpOptions, host: string): void {
  if (options.token === undefined && !isLoopbackHost(host)) {
    throw new RlmError(
      'E_USAGE',
      `Serving MCP on ${host} (not loopback) needs a token that every client sends: set one with --token or RLM_MCP_TOKEN, or listen on 127.0.0.1.`,
    )
  }
  if (options.token !== undefined && options.token.trim().length < 16) {
    throw new RlmError(
      'E_USAGE',
      'The MCP token is shorter than 16 characters: use a long random one, e.g. `openssl rand -hex 32`.',
    )
  }
  // Bad roots fail now, not at the first session.
  if (options.server.roots && options.server.roots.length > 0) serverRootDirs(options.server.roots)
}

export async function startMcpHttpServer(options: McpHttpOptions): Promise<McpHttpServer> {
  const host = options.host ?? '127.0.0.1'
  const path = options.path ?? '/mcp'
  checkStart(options, host)
  if (options.token !== undefined) registerSecret(options.token)
  const sessions = new Map<string, Session>()
  const handle = requestHandler(options, path, sessions)
  const http = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.end()
      sendProblem(
        res,
        err instanceof HttpProblem
          ? err
          : new HttpProblem(500, 'E_INTERNAL', `The MCP endpoint failed: ${(err as Error).message}`),
      )
    })
  })
  await listen(http, host, options.port ?? 0)
  const port = (http.address() as AddressInfo).port
  const shown = host.includes(':') ? `[${host}]` : host
  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await Promise.allSettled([...sessions.values()].map((s) => s.server.close()))
      sessions.clear()
      await new Promise<void>((resolve) => {
        http.close(() => resolve())
        http.closeAllConnections()
      })
    })()
    return closing
  }
  return {
    url: `http://${shown}:${port}${path}`,
    port,
    get sessions() {
      return sessions.size
    },
    close,
    [Symbol.asyncDispose]: close,
  }
}

/**
 * One request on the endpoint: guarded, its body read under the cap, then given to its session's
 * transport; an initialize request without a session opens one. Failures throw HttpProblem.
 */
function requestHandler(
  options: McpHttpOptions,
  path: string,
  sessions: Map<string, Session>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const maxBody = options.maxBodyBytes ?? 16 * 2 ** 20
  const openSession = async (): Promise<StreamableHTTPServerTransport> => {
    const server = createMcpServer(options.server)
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { server, transport })
      },
    })
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId)
    }
    await server.connect(transport)
    return transport
  }

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname !== path)
      throw new HttpProblem(404, 'E_NOT_FOUND', `No MCP endpoint at ${url.pathname}: use ${path}.`)
    const verdict = checkRequest(req.headers, options.token)
    if (!verdict.ok) throw new HttpProblem(verdict.status, verdict.code, verdict.message)
    const body = req.method === 'POST' ? await readJson(req, maxBody) : undefined
    const id = req.headers['mcp-session-id']
    if (typeof id === 'string') {
      const session = sessions.get(id)
      if (!session)
        throw new HttpProblem(404, 'E_SESSION', 'Unknown or closed MCP session: initialize a new one.')
      await session.transport.handleRequest(req, res, body)
      return
    }
    if (req.method === 'POST' && isInitializeRequest(body)) {
      await (await openSession()).handleRequest(req, res, body)
      return
    }
    throw new HttpProblem(
      400,
      'E_SESSION',
      'No MCP session: send initialize first, then the Mcp-Session-Id header it returns.',
    )
  }
}

function listen(http: HttpServer, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    http.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new RlmError(
          'E_USAGE',
          `Cannot listen on ${host}:${port} (${err.code ?? err.message}): pick another port or host.`,
          { cause: err },
        ),
      ),
    )
    http.listen(port, host, () => resolve())
  })
}
