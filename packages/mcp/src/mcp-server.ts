// createMcpServer: an MCP server (the SDK's low-level Server) with rlm's three tools and the runs'
// traces as resources. Tool arguments are parsed with the tools' zod schemas here, so every failure
// — a bad argument, a path outside the roots, a run that failed — is a tool error carrying rlm's
// code, and a cancelled request aborts the run it started.

import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js'
import {
  type CallToolRequest,
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListRootsResultSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js'
import { isRlmError, RlmError } from '@rlm/errors'
import { clientRoots, fixedRoots, type RootsSource } from './client-roots.ts'
import { serverRootDirs } from './root-paths.ts'
import { PROGRESS_META_KEY, type ProgressSink } from './run-progress.ts'
import { DEFAULT_MAX_CONCURRENT_RUNS, runSlots } from './run-slots.ts'
import type { McpServerOptions } from './server-options.ts'
import { type McpTool, parseArguments, toolListing } from './tool-definition.ts'
import { errorResult, successResult } from './tool-result.ts'
import { askTool } from './tools/ask-tool.ts'
import { describeTool } from './tools/describe-tool.ts'
import { searchTool } from './tools/search-tool.ts'
import {
  createTraceResources,
  TRACE_MIME_TYPE,
  TRACE_URI_PREFIX,
  type TraceResources,
} from './trace-resources.ts'

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>

/** How long a call waits for the client's roots before treating it as having none. */
const LIST_ROOTS_TIMEOUT_MS = 10_000

const INSTRUCTIONS =
  "rlm answers questions about files, folders and text far larger than your context window. Start with context_describe to see how big something is, context_search to find where a pattern occurs (both free), and rlm_ask for questions that need reading and reasoning over a lot of text (model calls: set a budget). Paths must lie inside the server's roots."

function progressSink(extra: Extra, token: string | number): ProgressSink {
  return (u) =>
    extra
      .sendNotification({
        method: 'notifications/progress',
        params: {
          progressToken: token,
          progress: u.progress,
          message: u.message,
          _meta: { [PROGRESS_META_KEY]: u.counts },
        },
      })
      .catch(() => {}) // the client went away; the run's own signal handles that
}

/** The request's signal, with an RlmError as the reason the run and its trace report. */
function cancellation(extra: Extra): AbortSignal {
  const controller = new AbortController()
  const abort = (): void =>
    controller.abort(new RlmError('E_ABORTED', 'The MCP client cancelled the request (or disconnected).'))
  if (extra.signal.aborted) abort()
  else extra.signal.addEventListener('abort', abort, { once: true })
  return controller.signal
}

async function callTool(
  tools: readonly McpTool[],
  roots: RootsSource,
  request: CallToolRequest,
  extra: Extra,
): Promise<CallToolResult> {
  const tool = tools.find((t) => t.name === request.params.name)
  if (!tool) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `Unknown tool ${request.params.name}: this server has ${tools.map((t) => t.name).join(', ')}.`,
    )
  }
  try {
    const args = parseArguments(tool, request.params.arguments)
    const token = request.params._meta?.progressToken
    const progress = token === undefined ? undefined : progressSink(extra, token)
    const askRoots = () =>
      extra.sendRequest({ method: 'roots/list' }, ListRootsResultSchema, { timeout: LIST_ROOTS_TIMEOUT_MS })
    const call = { signal: cancellation(extra), progress, roots: () => roots.current(askRoots) }
    return successResult(await tool.run(args, call))
  } catch (err) {
    return errorResult(err)
  }
}

function registerResources(server: Server, traces: TraceResources): void {
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: traces.list() }))
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: [
      {
        uriTemplate: `${TRACE_URI_PREFIX}{name}`,
        name: 'rlm trace',
        description:
          "The JSONL trace of one of this session's rlm_ask runs (its URI is in the run's result).",
        mimeType: TRACE_MIME_TYPE,
      },
    ],
  }))
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    try {
      return await traces.read(request.params.uri)
    } catch (err) {
      const code = isRlmError(err) ? err.code : 'E_INTERNAL'
      // -32002: the spec's "resource not found".
      throw new McpError(-32002, `${code}: ${(err as Error).message}`, { code, uri: request.params.uri })
    }
  })
}

export function createMcpServer(options: McpServerOptions): Server {
  const server = new Server(
    { name: options.name ?? 'rlm', version: options.version ?? '0.0.0' },
    { capabilities: { tools: {}, resources: {} }, instructions: INSTRUCTIONS },
  )
  const roots =
    options.roots && options.roots.length > 0
      ? fixedRoots(serverRootDirs(options.roots))
      : clientRoots(server)
  const traces = createTraceResources()
  const source = options.engine
  const env = { load: options.load ?? {} }
  const tools: McpTool[] = [
    askTool({
      ...env,
      engine: async () => (typeof source === 'function' ? source() : source),
      traceDir: options.traceDir ?? false,
      traces,
      progressIntervalMs: options.progressIntervalMs ?? 500,
      slots: () => runSlots(options, options.maxConcurrentRuns ?? DEFAULT_MAX_CONCURRENT_RUNS),
    }),
    searchTool(env),
    describeTool(env),
  ]
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: tools.map(toolListing) }))
  server.setRequestHandler(CallToolRequestSchema, (request, extra) => callTool(tools, roots, request, extra))
  registerResources(server, traces)
  return server
}
