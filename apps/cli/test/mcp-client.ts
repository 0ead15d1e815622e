// Starts `rlm mcp` as a subprocess, the way an agent does, and connects the MCP SDK's own Client:
// over stdio (StdioClientTransport spawns it) or over Streamable HTTP (the URL read from stderr).

import { type ChildProcess, spawn } from 'node:child_process'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { CallToolResult, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'
import { BIN, cleanEnv } from './run-cli.ts'

export interface StdioSession extends AsyncDisposable {
  client: Client
  transport: StdioClientTransport
  /** What the server wrote on stderr so far. */
  stderr(): string
  /** Every JSON-RPC message after the handshake, in order: '->' sent by the client, '<-' received. */
  transcript: { dir: '->' | '<-'; message: JSONRPCMessage }[]
}

/** Records what goes through a connected transport (the client has set its handlers). */
function record(transport: Transport, transcript: StdioSession['transcript']): void {
  const send = transport.send.bind(transport)
  transport.send = (message, options) => {
    transcript.push({ dir: '->', message })
    return send(message, options)
  }
  const receive = transport.onmessage
  transport.onmessage = (message, extra) => {
    transcript.push({ dir: '<-', message })
    receive?.(message, extra)
  }
}

export async function stdioSession(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<StdioSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', ...args],
    cwd,
    env: cleanEnv(env) as Record<string, string>,
    stderr: 'pipe',
  })
  let stderr = ''
  transport.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString('utf8')
  })
  const client = new Client({ name: 'rlm-cli-test', version: '1.0.0' })
  await client.connect(transport)
  const transcript: StdioSession['transcript'] = []
  record(transport, transcript)
  return {
    client,
    transport,
    transcript,
    stderr: () => stderr,
    async [Symbol.asyncDispose]() {
      await client.close()
    },
  }
}

export interface HttpProcess extends AsyncDisposable {
  url: string
  child: ChildProcess
  stderr(): string
  connect(headers?: Record<string, string>): Promise<Client>
}

/** `rlm mcp --http --port 0 ...`; resolves once it printed where it listens. */
export function httpProcess(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<HttpProcess> {
  const child = spawn(process.execPath, [BIN, 'mcp', '--http', '--port', '0', ...args], {
    cwd,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rlm mcp --http did not start:\n${stderr}`)), 30_000)
    child.on('exit', (code) => reject(new Error(`rlm mcp --http exited ${code}:\n${stderr}`)))
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
      const url = /listening on (\S+)/.exec(stderr)?.[1]
      if (!url) return
      clearTimeout(timer)
      resolve({
        url,
        child,
        stderr: () => stderr,
        async connect(headers = {}) {
          const client = new Client({ name: 'rlm-cli-test', version: '1.0.0' })
          await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }))
          return client
        },
        async [Symbol.asyncDispose]() {
          if (child.exitCode !== null) return
          const exited = new Promise((done) => child.once('exit', done))
          child.kill('SIGTERM')
          await exited
        },
      })
    })
  })
}

export function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n')
}

/** The `{ code, message }` an rlm tool error carries. */
export function errorOf(result: CallToolResult): { code: string; message: string } | undefined {
  return result.isError ? (result._meta?.['rlm/error'] as { code: string; message: string }) : undefined
}
