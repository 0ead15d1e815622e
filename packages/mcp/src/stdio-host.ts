// Serves one MCP server over stdio (newline-delimited JSON-RPC on stdin/stdout) until the client
// closes stdin or close() is called; closing aborts every run still in progress.

import type { Readable, Writable } from 'node:stream'
import type { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'

export interface StdioServing {
  /** Resolves when the connection has closed (the client hung up, or close()). */
  readonly closed: Promise<void>
  close(): Promise<void>
}

export async function serveStdio(
  server: Server,
  io: { stdin?: Readable; stdout?: Writable } = {},
): Promise<StdioServing> {
  const stdin = io.stdin ?? process.stdin
  const stdout = io.stdout ?? process.stdout
  const closed = new Promise<void>((resolve) => {
    const previous = server.onclose
    server.onclose = () => {
      previous?.()
      resolve()
    }
  })
  const close = (): Promise<void> => server.close()
  // The SDK's transport does not watch for the end of stdin, nor for a broken stdout pipe.
  stdin.once('end', () => void close())
  stdout.once('error', () => void close())
  await server.connect(new StdioServerTransport(stdin, stdout))
  return { closed, close }
}
