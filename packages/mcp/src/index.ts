// @rlm/mcp: an MCP server so coding agents can ask questions of repositories and documents far
// larger than their window — rlm_ask, context_search, context_describe — over stdio or HTTP.

export type { RootsSource } from './client-roots.ts'
export { checkRequest, type GuardVerdict, isLoopbackHost } from './http-guard.ts'
export { type McpHttpOptions, type McpHttpServer, startMcpHttpServer } from './http-host.ts'
export { createMcpServer } from './mcp-server.ts'
export type { PathLoadOptions } from './path-context.ts'
export { isInside, OUTSIDE_ROOTS, type RootSet, resolveInRoots } from './root-paths.ts'
export { PROGRESS_META_KEY, progressMessage, type RunCounts } from './run-progress.ts'
export type { McpServerOptions } from './server-options.ts'
export { type StdioServing, serveStdio } from './stdio-host.ts'
export { ERROR_META_KEY, type ToolError } from './tool-result.ts'
export { TRACE_MIME_TYPE, TRACE_URI_PREFIX } from './trace-resources.ts'
