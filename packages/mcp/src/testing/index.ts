// @rlm/mcp/testing: the checks a deployment of rlm's MCP server runs against itself.

export {
  MCP_CONFORMANCE_CHECKS,
  type McpConformanceOptions,
  type McpConformanceReport,
  type McpConformanceResult,
  runMcpConformance,
} from './conformance.ts'
export { INITIALIZE_BODY, postMcp } from './raw-post.ts'
