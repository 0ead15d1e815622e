import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { startMcpHttpServer } from '../src/index.ts'
import { MCP_CONFORMANCE_CHECKS, runMcpConformance } from '../src/testing/index.ts'
import { connect, tempDir, workspace } from './mcp-harness.ts'

const plum = () => ({ model: createScripted(() => "```js\nFINAL('PLUM')\n```") })

describe('runMcpConformance', { timeout: 60_000 }, () => {
  it('passes every check against rlm over memory (the HTTP check skipped without a URL)', async () => {
    const root = workspace({ 'notes.txt': 'The code word is PLUM.\n' })
    await using c = await connect({ engine: plum, roots: [root], traceDir: tempDir() })
    const report = await runMcpConformance({ client: c.client, insidePath: root })
    expect(report.failed).toEqual([])
    expect(report.skipped).toEqual([
      'refuses HTTP requests without the token (or, without one, from other hosts)',
    ])
    expect(report.passed).toHaveLength(Object.keys(MCP_CONFORMANCE_CHECKS).length - 1)
  })

  it('checks the token over HTTP', async () => {
    const token = 'conformance-token-0123456789'
    await using http = await startMcpHttpServer({ server: { engine: plum }, token })
    const client = new Client({ name: 'conformance', version: '1' })
    await client.connect(
      new StreamableHTTPClientTransport(new URL(http.url), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    )
    const report = await runMcpConformance({
      client,
      httpUrl: http.url,
      token,
      skip: ['cancels an rlm_ask and stays up'],
    })
    expect(report.failed).toEqual([])
    expect(report.passed).toContain(
      'refuses HTTP requests without the token (or, without one, from other hosts)',
    )
    await client.close()
  })

  it('fails every check, by name, against an MCP server that is not rlm', async () => {
    const other = new McpServer({ name: 'not-rlm', version: '1' })
    other.registerTool(
      'echo',
      { description: 'echo', inputSchema: { text: z.string() } },
      async ({ text }) => ({
        content: [{ type: 'text', text }],
      }),
    )
    const client = new Client({ name: 'conformance', version: '1' })
    const [a, b] = InMemoryTransport.createLinkedPair()
    await other.connect(a)
    await client.connect(b)
    const report = await runMcpConformance({
      client,
      insidePath: tempDir(),
      skip: ['cancels an rlm_ask and stays up'],
    })
    expect(report.passed).toEqual([])
    expect(report.failed.map((f) => f.name).sort()).toEqual(
      Object.keys(MCP_CONFORMANCE_CHECKS)
        .filter((n) => !n.startsWith('refuses HTTP') && !n.startsWith('cancels'))
        .sort(),
    )
    for (const f of report.failed) expect(f.error).toBeTruthy()
    await client.close()
  })
})
