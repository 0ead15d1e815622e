// Connects the SDK's own Client to createMcpServer in memory, and builds the files and scripted
// models the tests ask about.

import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import { type CallToolResult, ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js'
import { createScripted } from '@rlm/providers'
import { createMcpServer, ERROR_META_KEY, type McpServerOptions } from '../src/index.ts'

export function tempDir(prefix = 'rlm-mcp-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)))
}

/** Writes files (relative path → text) under a fresh folder and returns the folder. */
export function workspace(files: Record<string, string>): string {
  const dir = tempDir()
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true })
    writeFileSync(join(dir, rel), text)
  }
  return dir
}

export interface Connected extends AsyncDisposable {
  client: Client
  /** The client's roots; call rootsChanged() after editing. */
  roots: string[]
  rootsChanged(): Promise<void>
}

/** A client with MCP roots `clientRoots` (undefined: no roots capability) on a fresh server. */
export async function connect(options: McpServerOptions, clientRoots?: string[]): Promise<Connected> {
  const server = createMcpServer(options)
  const client = new Client(
    { name: 'rlm-test', version: '1.0.0' },
    { capabilities: clientRoots ? { roots: { listChanged: true } } : {} },
  )
  const roots = clientRoots ?? []
  if (clientRoots) {
    client.setRequestHandler(ListRootsRequestSchema, async () => ({
      roots: roots.map((dir) => ({ uri: pathToFileURL(dir).href, name: dir })),
    }))
  }
  const [a, b] = InMemoryTransport.createLinkedPair()
  await server.connect(a)
  await client.connect(b)
  return {
    client,
    roots,
    rootsChanged: () => client.sendRootsListChanged(),
    async [Symbol.asyncDispose]() {
      await client.close()
      await server.close()
    },
  }
}

export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult
}

/** The `{ code, message }` of a tool error (and a check that the text carries the code too). */
export function toolError(result: CallToolResult): { code: string; message: string } {
  if (!result.isError) throw new Error(`expected a tool error, got ${JSON.stringify(result)}`)
  const error = result._meta?.[ERROR_META_KEY] as { code: string; message: string }
  const first = result.content[0]
  if (first?.type !== 'text' || !first.text.startsWith(`${error.code}: `))
    throw new Error(`the text does not start with the code: ${JSON.stringify(first)}`)
  return error
}

export function text(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n')
}

const js = (code: string): string => `\`\`\`js\n${code}\n\`\`\``

/**
 * A root model that searches the context for "needle", asks the sub-model about each hit in one
 * batch, then answers with how many it found; and a sub-model that answers "ok".
 */
export function scriptedModels(): {
  model: ReturnType<typeof createScripted>
  subModel: ReturnType<typeof createScripted>
} {
  const model = createScripted([
    js(
      "const hits = search('needle')\nconst said = await llm_query_batched(hits.map((h) => 'about ' + h.text))\nprint(said.join(','))",
    ),
    js("FINAL('needles: ' + search('needle').length)"),
  ])
  const subModel = createScripted(() => 'ok')
  return { model, subModel }
}
