// @rlm/engine: the Recursive Language Model loop.

// The interfaces the engine programs against, owned by their packages: what a custom model,
// sandbox or context source implements (re-exported as types only).
export type { ContextSource } from '@rlm/context'
export type { Sandbox, SandboxFactory, SandboxOptions } from '@rlm/sandbox'
export type { LanguageModel } from '@rlm/spec'

export { type RlmConfig, type RlmConfigInput, rlmConfigSchema, type ToolDefinition } from './config.ts'
export type { ContextInput } from './context-loading.ts'
export type {
  BatchEndEvent,
  BatchStartEvent,
  BudgetExhaustedEvent,
  CellOutputEvent,
  ChildEndEvent,
  ChildStartEvent,
  CodeEndEvent,
  CompactionEvent,
  ContextAccessEvent,
  ErrorEvent,
  EventBase,
  EventListener,
  FinalEvent,
  IterationEndEvent,
  IterationStartEvent,
  ModelReplyEvent,
  NoticeEvent,
  RlmEvent,
  RlmEventType,
  RunEndEvent,
  RunStartEvent,
  SubCallEndEvent,
  SubCallStartEvent,
  SubCallStatus,
} from './events.ts'
export { type CreateLoggerOptions, createLogger, type LogFn, type RlmLogger } from './logger.ts'
export { buildSystemPrompt, PROMPT_VERSION } from './prompt/system-prompt.ts'
export { type ReplayDivergence, type ReplayOptions, type ReplayResult, replay } from './replay.ts'
export type {
  BudgetName,
  CodeCell,
  ContextAccess,
  IterationRecord,
  RecursionNode,
  RlmResult,
  RunStatus,
  RunUsage,
  SubCallRecord,
} from './result.ts'
export {
  createRlm,
  type Rlm,
  type RlmSession,
  type RunOptions,
  type SessionOptions,
  type SessionRunOptions,
} from './rlm.ts'
export { LOG_LEVELS, type LogLevel } from './setting-schemas.ts'
export { isTraceFileName, pruneTraces, traceFileName } from './trace-files.ts'
export {
  checkTraceEvent,
  parseTrace,
  type ReadTraceOptions,
  readTrace,
  type TraceCheck,
  type TraceIssue,
  type TraceRead,
} from './trace-read.ts'
export {
  TRACE_EVENT_TYPES,
  type TraceEvent,
  traceEnvelopeSchema,
  traceEventSchema,
} from './trace-schema.ts'
