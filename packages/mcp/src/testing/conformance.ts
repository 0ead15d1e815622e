// The checks a deployment of `rlm mcp` (or an app serving createMcpServer) can run against itself
// with the MCP SDK's own Client, over whichever transport it uses: the three tools and their
// schemas, tool errors with rlm's codes for bad arguments and for paths outside the roots, the
// tools on a path inside, an rlm_ask with progress and its trace as a resource, a cancelled
// rlm_ask, and — over HTTP — the token (or, without one, the loopback Host rule).
// The rlm_ask checks call the deployment's real model (a few small calls); skip them by name.

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { postMcp } from './raw-post.ts'

export interface McpConformanceOptions {
  /** A connected client (stdio or HTTP). */
  client: Client
  /** A file or folder inside the server's roots (the checks that read one are skipped without it). */
  insidePath?: string
  /** A path outside the roots (default: a fresh folder under the system temp folder). */
  outsidePath?: string
  /** The HTTP endpoint, e.g. http://127.0.0.1:8788/mcp, to check who may connect. */
  httpUrl?: string
  /** The token the HTTP server was started with, if any. */
  token?: string
  /** Names of checks to leave out, e.g. those that call the model. */
  skip?: string[]
}

export interface McpConformanceResult {
  name: string
  ok: boolean
  error?: string
}

export interface McpConformanceReport {
  passed: string[]
  failed: McpConformanceResult[]
  /** Left out by `skip`, or for want of `insidePath` / `httpUrl`. */
  skipped: string[]
  results: McpConformanceResult[]
}

type Check = (o: McpConformanceOptions) => Promise<void>

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}
const show = (v: unknown): string => JSON.stringify(v)?.slice(0, 300) ?? String(v)

async function callTool(
  o: McpConformanceOptions,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  return (await o.client.callTool({ name, arguments: args })) as CallToolResult
}

function expectToolError(result: CallToolResult, code: string): void {
  const error = result._meta?.['rlm/error'] as { code?: string; message?: string } | undefined
  assert(result.isError === true, `expected a tool error (isError), got ${show(result)}`)
  assert(error?.code === code, `expected _meta["rlm/error"].code ${code}, got ${show(error)}`)
  const first = result.content[0]
  assert(
    first?.type === 'text' && first.text.startsWith(`${code}: `),
    `expected the text to start with "${code}: "`,
  )
}

async function statusOf(url: string, headers: Record<string, string>): Promise<number> {
  return (await postMcp(url, headers)).status
}

const ASK = { question: 'What is the code word? Answer with the word only.', text: 'The code word is PLUM.' }

export const MCP_CONFORMANCE_CHECKS: Record<string, Check> = {
  'lists rlm_ask, context_search and context_describe with schemas': async (o) => {
    const { tools } = await o.client.listTools()
    for (const name of ['rlm_ask', 'context_search', 'context_describe']) {
      const tool = tools.find((t) => t.name === name)
      assert(tool, `tools/list has no ${name}: ${show(tools.map((t) => t.name))}`)
      assert(
        tool.description && tool.description.length > 40,
        `${name} needs a description an agent can act on`,
      )
      assert(
        tool.inputSchema.type === 'object' && tool.outputSchema?.type === 'object',
        `${name} needs input and output schemas`,
      )
    }
  },
  'answers a bad argument with a tool error E_USAGE': async (o) => {
    expectToolError(await callTool(o, 'context_search', { paths: 'not-an-array' }), 'E_USAGE')
    expectToolError(await callTool(o, 'rlm_ask', {}), 'E_USAGE')
  },
  'refuses a path outside the roots with E_OUTSIDE_ROOTS': async (o) => {
    const outside = o.outsidePath ?? mkdtempSync(join(tmpdir(), 'rlm-outside-'))
    expectToolError(await callTool(o, 'context_describe', { paths: [outside] }), 'E_OUTSIDE_ROOTS')
    expectToolError(
      await callTool(o, 'context_search', { paths: [outside], pattern: 'x' }),
      'E_OUTSIDE_ROOTS',
    )
    expectToolError(await callTool(o, 'rlm_ask', { question: 'q', paths: [outside] }), 'E_OUTSIDE_ROOTS')
  },
  'describes and searches a path inside the roots': async (o) => {
    const described = await callTool(o, 'context_describe', { paths: [o.insidePath] })
    const shape = described.structuredContent as
      | { documentCount?: number; estimatedTokens?: number }
      | undefined
    assert(!described.isError && (shape?.documentCount ?? 0) > 0, `context_describe: ${show(described)}`)
    const found = await callTool(o, 'context_search', { paths: [o.insidePath], pattern: '.', limit: 1 })
    const hits = (found.structuredContent as { hits?: { file?: string; line?: number }[] } | undefined)?.hits
    assert(!found.isError && Array.isArray(hits), `context_search: ${show(found)}`)
    assert(
      hits.length === 1 && typeof hits[0]?.file === 'string' && (hits[0]?.line ?? 0) >= 1,
      `expected a hit with file and line, got ${show(hits)}`,
    )
  },
  'answers rlm_ask with progress, and offers its trace as a resource': async (o) => {
    let notifications = 0
    const result = (await o.client.callTool({ name: 'rlm_ask', arguments: ASK }, undefined, {
      onprogress: () => {
        notifications++
      },
      resetTimeoutOnProgress: true,
    })) as CallToolResult
    const s = result.structuredContent as {
      status?: string
      answer?: string
      usage?: unknown
      traceUri?: string | null
    }
    assert(!result.isError && s?.status === 'final', `rlm_ask did not answer: ${show(result)}`)
    assert(typeof s.answer === 'string' && s.usage, `expected answer and usage, got ${show(s)}`)
    assert(notifications > 0, 'no progress notification arrived')
    if (s.traceUri) {
      const read = await o.client.readResource({ uri: s.traceUri })
      const text = (read.contents[0] as { text?: string } | undefined)?.text ?? ''
      assert(
        text.includes('"type":"run_end"'),
        `the trace resource has no run_end: ${show(text.slice(-200))}`,
      )
    }
  },
  'cancels an rlm_ask and stays up': async (o) => {
    const controller = new AbortController()
    const pending = o.client.callTool({ name: 'rlm_ask', arguments: ASK }, undefined, {
      signal: controller.signal,
      onprogress: () => controller.abort('conformance check'),
    })
    setTimeout(() => controller.abort('conformance check'), 2000).unref()
    const outcome = await pending.then(
      () => 'answered',
      () => 'cancelled',
    )
    assert(
      outcome === 'cancelled' || controller.signal.aborted,
      'the call neither answered nor was cancelled',
    )
    const { tools } = await o.client.listTools()
    assert(tools.length >= 3, 'the server did not answer after a cancelled call')
  },
  'refuses HTTP requests without the token (or, without one, from other hosts)': async (o) => {
    const url = o.httpUrl as string
    if (o.token === undefined) {
      const status = await statusOf(url, { host: 'rebind.example' })
      assert(status === 403, `a request for Host rebind.example: expected 403, got ${status}`)
      return
    }
    const none = await statusOf(url, {})
    assert(none === 401, `a request without the token: expected 401, got ${none}`)
    const wrong = await statusOf(url, { authorization: `Bearer ${o.token}-not` })
    assert(wrong === 401, `a request with a wrong token: expected 401, got ${wrong}`)
  },
}

const NEEDS: Record<string, (o: McpConformanceOptions) => boolean> = {
  'describes and searches a path inside the roots': (o) => o.insidePath !== undefined,
  'refuses HTTP requests without the token (or, without one, from other hosts)': (o) =>
    o.httpUrl !== undefined,
}

/** Runs every check (never throws); a check fails with what it expected and what it got. */
export async function runMcpConformance(options: McpConformanceOptions): Promise<McpConformanceReport> {
  const report: McpConformanceReport = { passed: [], failed: [], skipped: [], results: [] }
  for (const [name, check] of Object.entries(MCP_CONFORMANCE_CHECKS)) {
    if (options.skip?.includes(name) || NEEDS[name]?.(options) === false) {
      report.skipped.push(name)
      continue
    }
    let result: McpConformanceResult
    try {
      await check(options)
      result = { name, ok: true }
      report.passed.push(name)
    } catch (err) {
      result = { name, ok: false, error: err instanceof Error ? err.message : String(err) }
      report.failed.push(result)
    }
    report.results.push(result)
  }
  return report
}
