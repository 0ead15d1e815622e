import { pathToFileURL } from 'node:url'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, it } from 'vitest'
import { startMcpHttpServer } from '../src/index.ts'
import { INITIALIZE_BODY, postMcp } from '../src/testing/index.ts'
import { scriptedModels, workspace } from './mcp-harness.ts'

const TOKEN = 'test-token-0123456789abcdef'

async function client(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const c = new Client({ name: 'rlm-http-test', version: '1.0.0' })
  await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }))
  return c
}

const post = postMcp
const INIT = INITIALIZE_BODY

describe('Streamable HTTP', { timeout: 30_000 }, () => {
  it('serves the tools to the SDK client on loopback without a token', async () => {
    const root = workspace({ 'a.txt': 'needle\n' })
    await using http = await startMcpHttpServer({ server: { engine: scriptedModels(), roots: [root] } })
    expect(http.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/)
    const c = await client(http.url)
    const { tools } = await c.listTools()
    expect(tools).toHaveLength(3)
    const r = await c.callTool({ name: 'context_search', arguments: { paths: ['.'], pattern: 'needle' } })
    expect(r.structuredContent).toMatchObject({ hits: [{ line: 1, text: 'needle' }] })
    expect(http.sessions).toBe(1)
    await c.close()
  })

  it('asks an HTTP client for its MCP roots within the call, and reads inside them only', async () => {
    const root = workspace({ 'a.txt': 'needle\n' })
    const outside = workspace({ 'b.txt': 'needle\n' })
    await using http = await startMcpHttpServer({ server: { engine: scriptedModels() } })
    const c = new Client({ name: 'rlm-http-test', version: '1.0.0' }, { capabilities: { roots: {} } })
    c.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: pathToFileURL(root).href }] }))
    await c.connect(new StreamableHTTPClientTransport(new URL(http.url)))
    const r = await c.callTool({ name: 'context_search', arguments: { paths: ['a.txt'], pattern: 'needle' } })
    expect(r.structuredContent).toMatchObject({ hits: [{ file: `${root}/a.txt`, line: 1 }] })
    const refused = await c.callTool({
      name: 'context_search',
      arguments: { paths: [outside], pattern: 'needle' },
    })
    expect(refused._meta).toMatchObject({ 'rlm/error': { code: 'E_OUTSIDE_ROOTS' } })
    await c.close()
  })

  it('without a token, refuses a non-loopback Host or Origin (DNS rebinding) with 403', async () => {
    await using http = await startMcpHttpServer({ server: { engine: scriptedModels() } })
    const host = await post(http.url, { host: 'evil.example:80' }, INIT)
    expect(host.status).toBe(403)
    expect(host.body).toContain('E_ORIGIN')
    const origin = await post(http.url, { origin: 'http://evil.example' }, INIT)
    expect(origin.status).toBe(403)
    const nullOrigin = await post(http.url, { origin: 'null' }, INIT)
    expect(nullOrigin.status).toBe(403)
    const local = await post(http.url, { origin: 'http://localhost:3000' }, INIT)
    expect(local.status).toBe(200)
  })

  it('with a token, refuses requests without it (401) and serves those with it', async () => {
    await using http = await startMcpHttpServer({ server: { engine: scriptedModels() }, token: TOKEN })
    await expect(client(http.url)).rejects.toThrow()
    await expect(client(http.url, { authorization: 'Bearer wrong-token-0123456789' })).rejects.toThrow()
    const missing = await post(http.url, {}, INIT)
    expect(missing.status).toBe(401)
    expect(missing.body).toContain('E_AUTH')
    const c = await client(http.url, { authorization: `Bearer ${TOKEN}` })
    expect((await c.listTools()).tools).toHaveLength(3)
    await c.close()
    // a token allows other hosts (a reverse proxy, a container network)
    expect(
      (await post(http.url, { authorization: `Bearer ${TOKEN}`, host: 'rlm.internal' }, INIT)).status,
    ).toBe(200)
  })

  it('refuses to listen beyond loopback without a token, or with a short one', async () => {
    await expect(
      startMcpHttpServer({ server: { engine: scriptedModels() }, host: '0.0.0.0' }),
    ).rejects.toMatchObject({
      code: 'E_USAGE',
      message: expect.stringMatching(/needs a token that every client sends/),
    })
    await expect(
      startMcpHttpServer({ server: { engine: scriptedModels() }, token: 'short' }),
    ).rejects.toMatchObject({
      code: 'E_USAGE',
    })
  })

  it('caps the body size (413), needs a session after initialize (400), and 404s other paths', async () => {
    await using http = await startMcpHttpServer({ server: { engine: scriptedModels() }, maxBodyBytes: 1000 })
    const big = await post(http.url, {}, JSON.stringify({ pad: 'x'.repeat(2000) }))
    expect(big).toMatchObject({ status: 413, body: expect.stringContaining('E_LIMIT') })
    const noSession = await post(
      http.url,
      {},
      JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    )
    expect(noSession.status).toBe(400)
    expect(noSession.body).toContain('initialize')
    expect((await post(http.url.replace('/mcp', '/other'), {}, INIT)).status).toBe(404)
  })

  it('closing the server ends its sessions', async () => {
    const http = await startMcpHttpServer({ server: { engine: scriptedModels() } })
    const c = await client(http.url)
    await c.listTools()
    await http.close()
    expect(http.sessions).toBe(0)
    await expect(c.listTools()).rejects.toThrow()
  })
})
