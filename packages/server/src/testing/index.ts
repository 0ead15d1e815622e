// @rlm/server/testing: the checks a deployment runs against itself, and the SSE reader they use.

export {
  runServerConformance,
  SERVER_CONFORMANCE_CHECKS,
  type ServerConformanceOptions,
  type ServerConformanceReport,
  type ServerConformanceResult,
} from './conformance.ts'
export { collectSse, readSse, type SseEvent } from './sse-reader.ts'
