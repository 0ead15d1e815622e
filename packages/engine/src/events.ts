// The typed events a run emits, in order, to `onEvent` and to the JSONL trace. Every event carries
// the run, the node (root '0', children '0.1', '0.1.2', ...), its depth and a timestamp.

import type { BudgetName, ContextAccess, RunStatus, RunUsage } from './result.ts'

export interface EventBase {
  runId: string
  nodeId: string
  depth: number
  /** Milliseconds since the epoch. */
  timestamp: number
}

export interface RunStartEvent extends EventBase {
  type: 'run_start'
  query: string
  promptVersion: string
  model: string
  subModel: string
  context: { length: number; documents: number; hash: string; text?: string }
  /** The JSON-safe part of the resolved config (limits, budgets, concurrency). */
  settings: Record<string, unknown>
  /** The run's seed (options.seed or config.seed); a replay with it reproduces Math.random. */
  seed?: number
  /** The guest clock's first reading in a seeded run; a replay restores it with options.clockStartMs. */
  clockStartMs?: number
}

export interface RunEndEvent extends EventBase {
  type: 'run_end'
  status: RunStatus
  answer: string
  budget?: BudgetName
  partialFrom?: 'final_candidate' | 'answer_now' | 'last_output'
  error?: { code: string; message: string }
  usage: RunUsage
  durationMs: number
  subCalls: number
  maxDepthReached: number
}

export interface IterationStartEvent extends EventBase {
  type: 'iteration_start'
  iteration: number
}

/** Every call to a node's own model: a turn, the final "answer now" request, or a compaction summary. */
export interface ModelReplyEvent extends EventBase {
  type: 'model_reply'
  purpose: 'iteration' | 'answer_now' | 'compaction'
  iteration: number
  text: string
  usage: RunUsage
  durationMs: number
  cached: boolean
}

export interface CodeEndEvent extends EventBase {
  type: 'code_end'
  iteration: number
  cell: number
  code: string
  output: string
  ok: boolean
  error?: { code: string; message: string }
  durationMs: number
}

/** Printed output of a running cell, as it is printed (about every 50 ms); code_end has it all. */
export interface CellOutputEvent extends EventBase {
  type: 'cell_output'
  iteration: number
  cell: number
  chunk: string
}

export interface IterationEndEvent extends EventBase {
  type: 'iteration_end'
  iteration: number
  reply: string
  code: string[]
  output: string
  final: boolean
  durationMs: number
  usage: RunUsage
}

/**
 * A sub-call began: emitted when the call holds its concurrency slot. A prompt with a context
 * range is read then; if such a call failed before that (budget refused), its event shows its
 * instruction as `prompt` and an empty `promptHash`: its context text was never read.
 */
export interface SubCallStartEvent extends EventBase {
  type: 'subcall_start'
  callId: string
  /** The prompt, cut to its first 20,000 characters (see promptChars and promptHash). */
  prompt: string
  promptChars: number
  /** sha1 of the whole prompt: replay matches recorded answers by it ('' if never read). */
  promptHash: string
  model: string
}

/** How a sub-call ended: answered, failed, or cancelled because its scope (cell, node, run) ended. */
export type SubCallStatus = 'ok' | 'error' | 'cancelled'

export interface SubCallEndEvent extends EventBase {
  type: 'subcall_end'
  callId: string
  promptHash: string
  status: SubCallStatus
  answer: string
  error?: { code: string; message: string }
  usage: RunUsage
  durationMs: number
  cached: boolean
}

/** A batched call (llm_query_batched / rlm_query_batched) starts: `size` items. */
export interface BatchStartEvent extends EventBase {
  type: 'batch_start'
  batchId: string
  fn: 'llm_query_batched' | 'rlm_query_batched'
  size: number
}

/**
 * A batch ended. Items that were queued and never started (their cell ended first) have no events
 * of their own: they are counted here once, in `notStarted`.
 */
export interface BatchEndEvent extends EventBase {
  type: 'batch_end'
  batchId: string
  fn: 'llm_query_batched' | 'rlm_query_batched'
  size: number
  ok: number
  errors: number
  cancelled: number
  notStarted: number
  durationMs: number
}

/** A child RLM starts; `nodeId`/`depth` are the child's, `parentId` its parent's. */
export interface ChildStartEvent extends EventBase {
  type: 'child_start'
  parentId: string
  query: string
  contextLength: number
}

export interface ChildEndEvent extends EventBase {
  type: 'child_end'
  parentId: string
  status: RunStatus
  answer: string
  budget?: BudgetName
  usage: RunUsage
  durationMs: number
}

export interface ContextAccessEvent extends EventBase {
  type: 'context_access'
  access: ContextAccess
}

export interface FinalEvent extends EventBase {
  type: 'final'
  /** The answer's first 2,000 characters: the whole answer is on `run_end` (or `child_end`). */
  answer: string
  /** The answer's length (after limits.maxAnswerChars). */
  answerChars: number
}

export interface CompactionEvent extends EventBase {
  type: 'compaction'
  iteration: number
  /** Estimated tokens of the history before and after. */
  tokensBefore: number
  tokensAfter: number
  summary: string
}

export interface BudgetExhaustedEvent extends EventBase {
  type: 'budget_exhausted'
  budget: BudgetName
  limit: number
  used: number
}

export interface ErrorEvent extends EventBase {
  type: 'error'
  code: string
  message: string
  /** True when the error ended the node (or run); false when the loop reported it and went on. */
  fatal: boolean
}

/** A custom tool call (config.tools) ended. */
export interface ToolEndEvent extends EventBase {
  type: 'tool_end'
  name: string
  /** sha1 of the name and the JSON arguments: how a replay finds the recorded result. */
  argsHash: string
  /** The tool's replaySafe marker: a replay runs such a tool again instead of reading `result`. */
  replaySafe: boolean
  /** What the tool returned (JSON), kept for tools that are not replay-safe. */
  result?: unknown
  error?: { code: string; message: string }
  durationMs: number
}

/** A corrective or informational message the engine itself added to the history. */
export interface NoticeEvent extends EventBase {
  type: 'notice'
  iteration: number
  message: string
}

export type RlmEvent =
  | RunStartEvent
  | RunEndEvent
  | IterationStartEvent
  | ModelReplyEvent
  | CodeEndEvent
  | CellOutputEvent
  | IterationEndEvent
  | SubCallStartEvent
  | SubCallEndEvent
  | BatchStartEvent
  | BatchEndEvent
  | ChildStartEvent
  | ChildEndEvent
  | ContextAccessEvent
  | FinalEvent
  | CompactionEvent
  | BudgetExhaustedEvent
  | ErrorEvent
  | NoticeEvent
  | ToolEndEvent

export type RlmEventType = RlmEvent['type']

/** Receives every event as it happens; exceptions it throws are ignored (they never end a run). */
export type EventListener = (event: RlmEvent) => void

/** Event payload as a node emits it, before run/node/depth/timestamp are stamped on. */
export type EventPayload = RlmEvent extends infer E
  ? E extends RlmEvent
    ? Omit<E, keyof EventBase>
    : never
  : never
