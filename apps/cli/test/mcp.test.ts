import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type CallToolResult, ProgressNotificationSchema } from '@modelcontextprotocol/sdk/types.js'
import { createOpenAICompatibleServer } from '@rlm/providers/testing'
import { describe, expect, it } from 'vitest'
import { errorOf, httpProcess, stdioSession, textOf } from './mcp-client.ts'
import { startModelServer } from './model-server.ts'
import { runCli, tempDir } from './run-cli.ts'

const ARTIFACTS = join(import.meta.dirname, '..', '..', '..', 'test-artifacts')

function repo(): { dir: string; file: string } {
  const dir = tempDir('rlm-mcp-cli-')
  const file = join(dir, 'notes.txt')
  writeFileSync(file, 'alpha one\nbeta two\ngamma three\ndelta four\n')
  return { dir, file }
}

const model = (baseURL: string): string[] => ['--model', 'openai-compatible:m', '--base-url', baseURL]

interface Progress {
  progress: number
  message?: string
}

describe('rlm mcp over stdio, with the SDK client', { concurrent: true, timeout: 90_000 }, () => {
  it('lists the tools and calls each: describe, search, and rlm_ask with progress and its trace as a resource', async ({
    expect,
  }) => {
    await using server = await startModelServer()
    const { dir } = repo()
    await using s = await stdioSession(['--root', dir, ...model(server.baseURL)], dir)
    const { tools } = await s.client.listTools()
    expect(tools.map((t) => t.name).sort()).toEqual(['context_describe', 'context_search', 'rlm_ask'])

    const described = (await s.client.callTool({
      name: 'context_describe',
      arguments: { paths: ['notes.txt'] },
    })) as CallToolResult
    expect(described.structuredContent).toMatchObject({ documentCount: 1, lines: 4 })

    const found = (await s.client.callTool({
      name: 'context_search',
      arguments: { paths: ['.'], pattern: 'GAMMA', ignoreCase: true },
    })) as CallToolResult
    expect(found.structuredContent).toMatchObject({
      hits: [{ file: join(dir, 'notes.txt'), line: 3, text: 'gamma' }],
    })

    const progress: Progress[] = []
    const asked = (await s.client.callTool(
      { name: 'rlm_ask', arguments: { question: 'How many lines?', paths: ['notes.txt'] } },
      undefined,
      { onprogress: (p) => progress.push(p) },
    )) as CallToolResult
    expect(asked.isError, textOf(asked)).toBeFalsy()
    const result = asked.structuredContent as {
      answer: string
      status: string
      trace: string
      traceUri: string
      subCalls: number
    }
    expect(result).toMatchObject({ answer: 'lines: 5, first: alpha', status: 'final', subCalls: 2 })
    expect(result.trace.startsWith(join(dir, '.rlm', 'traces'))).toBe(true)
    expect(progress.length).toBeGreaterThan(0)
    // The last notification as sent: the SDK client runs notification handlers a microtask late, so
    // one that arrives in the same read as the result can miss its onprogress callback.
    const sent = s.transcript.flatMap((t) => {
      const notification = ProgressNotificationSchema.safeParse(t.message)
      return notification.success ? [notification.data.params] : []
    })
    expect(sent.at(-1)?.message).toMatch(/^2 iterations · 2 sub-calls done, 0 in flight · [\d,]+ tokens/)
    const trace = await s.client.readResource({ uri: result.traceUri })
    expect((trace.contents[0] as { text: string }).text).toBe(readFileSync(result.trace, 'utf8'))
    // The exchange, for the README and for anyone debugging a client (not asserted further).
    mkdirSync(ARTIFACTS, { recursive: true })
    writeFileSync(
      join(ARTIFACTS, 'mcp-transcript.jsonl'),
      s.transcript.map((t) => JSON.stringify(t)).join('\n'),
    )
  })

  it('refuses paths outside --root and bad arguments with tool errors carrying the code', async ({
    expect,
  }) => {
    await using server = await startModelServer()
    const { dir } = repo()
    const elsewhere = repo()
    await using s = await stdioSession(['--root', dir, ...model(server.baseURL)], dir)
    const outside = (await s.client.callTool({
      name: 'rlm_ask',
      arguments: { question: 'q', paths: [elsewhere.file] },
    })) as CallToolResult
    expect(errorOf(outside)?.code).toBe('E_OUTSIDE_ROOTS')
    expect(textOf(outside)).toMatch(/^E_OUTSIDE_ROOTS: /)
    const bad = (await s.client.callTool({
      name: 'context_search',
      arguments: { paths: 'notes.txt' },
    })) as CallToolResult
    expect(errorOf(bad)).toMatchObject({
      code: 'E_USAGE',
      message: expect.stringMatching(/paths: .*pattern: /),
    })
    // the server lives on after errors
    expect((await s.client.listTools()).tools).toHaveLength(3)
    expect(server.requests).toHaveLength(0)
  })

  it('cancelling a long rlm_ask stops the run: its in-flight calls are aborted and no model request follows', async ({
    expect,
  }) => {
    const js = (code: string): string => `\`\`\`js\n${code}\n\`\`\``
    await using server = await createOpenAICompatibleServer({
      replies: (req) => {
        const system = req.messages[0]?.content ?? ''
        if (!system.includes('Recursive Language Model')) return { text: 'late', delayMs: 30_000 }
        return js(
          "const parts = chunks({ strategy: 'lines', size: 1 })\nconst said = await llm_query_batched(parts.map((c) => context.slice(c.start, c.end)))\nprint(said.join('; '))",
        )
      },
    })
    const { dir } = repo()
    await using s = await stdioSession(['--root', dir, '--concurrency', '3', ...model(server.baseURL)], dir)
    const controller = new AbortController()
    const progress: Progress[] = []
    const pending = s.client.callTool(
      { name: 'rlm_ask', arguments: { question: 'q', paths: ['notes.txt'] } },
      undefined,
      {
        signal: controller.signal,
        onprogress: (p) => progress.push(p),
      },
    )
    pending.catch(() => {})
    // the root turn and three sub-calls (the concurrency) are in flight
    await expect.poll(() => server.requests.length, { timeout: 30_000 }).toBe(4)
    await expect.poll(() => progress.at(-1)?.message ?? '', { timeout: 10_000 }).toMatch(/3 in flight/)
    controller.abort('changed my mind')
    await expect(pending).rejects.toThrow()
    await expect.poll(() => server.closedEarly, { timeout: 10_000 }).toBe(3)
    await new Promise((r) => setTimeout(r, 1500))
    expect(server.requests).toHaveLength(4)
  })

  it('reads the project config under the trust rule: a model with an inline URL is refused unless --trust-config', async ({
    expect,
  }) => {
    await using server = await startModelServer()
    const { dir } = repo()
    writeFileSync(
      join(dir, 'rlm.config.json'),
      JSON.stringify({ model: `openai-compatible:m@${server.baseURL}` }),
    )
    {
      await using s = await stdioSession(['--root', dir], dir)
      const r = (await s.client.callTool({
        name: 'rlm_ask',
        arguments: { question: 'q', paths: ['notes.txt'] },
      })) as CallToolResult
      expect(errorOf(r)).toMatchObject({
        code: 'E_USAGE',
        message: expect.stringMatching(/No model configured/),
      })
      expect(s.stderr()).toMatch(/ignored model from .*rlm\.config\.json: a project file may not choose/)
      expect(server.requests).toHaveLength(0)
    }
    await using trusted = await stdioSession(['--root', dir, '--trust-config'], dir)
    const r = (await trusted.client.callTool({
      name: 'rlm_ask',
      arguments: { question: 'q', paths: ['notes.txt'] },
    })) as CallToolResult
    expect(r.structuredContent).toMatchObject({ status: 'final', answer: 'lines: 5, first: alpha' })
  })

  it('exits 0 when the client closes stdin', async ({ expect }) => {
    const { dir } = repo()
    const r = await runCli(['mcp', '--root', dir], { cwd: dir, input: '' })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain('serving MCP on stdio')
    expect(r.stdout).toBe('')
  })

  it('a bad flag value is a usage error (exit 2) naming the flag', async ({ expect }) => {
    const { dir } = repo()
    const r = await runCli(['mcp', '--max-concurrent-runs', '0'], { cwd: dir, input: '' })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/E_USAGE: --max-concurrent-runs: expected a whole number from 1 to 1000/)
  })
})

describe('rlm mcp --http, with the SDK client', { timeout: 90_000 }, () => {
  it('needs the bearer token, and then answers rlm_ask with progress', async () => {
    await using server = await startModelServer()
    const { dir } = repo()
    const token = 'cli-test-token-0123456789abcdef'
    await using p = await httpProcess(['--root', dir, '--no-trace', ...model(server.baseURL)], dir, {
      RLM_MCP_TOKEN: token,
    })
    expect(p.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/)
    expect(p.stderr()).toContain('clients must send the token')
    await expect(p.connect()).rejects.toThrow()
    const client = await p.connect({ authorization: `Bearer ${token}` })
    expect((await client.listTools()).tools).toHaveLength(3)
    const progress: Progress[] = []
    const r = (await client.callTool(
      { name: 'rlm_ask', arguments: { question: 'q', paths: ['notes.txt'] } },
      undefined,
      {
        onprogress: (x) => progress.push(x),
      },
    )) as CallToolResult
    expect(r.structuredContent).toMatchObject({
      status: 'final',
      answer: 'lines: 5, first: alpha',
      trace: null,
    })
    expect(progress.length).toBeGreaterThan(0)
    expect(existsSync(join(dir, '.rlm'))).toBe(false)
    await client.close()
  })

  it('refuses to listen beyond loopback without a token (exit 2)', async () => {
    const { dir } = repo()
    await expect(httpProcess(['--host', '0.0.0.0'], dir)).rejects.toThrow(
      /exited 2[\s\S]*E_USAGE: Serving MCP on 0\.0\.0\.0 \(not loopback\) needs a token/,
    )
  })
})
