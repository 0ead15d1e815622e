// What a run returns: the answer, how it ended, and the recursion tree with every iteration,
// sub-call and child, plus usage rolled up over the whole tree.

/** Tokens and cost of one or many model calls. */
export interface RunUsage {
  inputTokens: number
  outputTokens: number
  cachedInputTokens: number
  /** Sum of the known prices; see `unpricedCalls` for calls whose price the provider did not know. */
  costUsd: number
  /** Number of model calls (root iterations, sub-calls, children's calls) behind these figures. */
  calls: number
  /** Calls whose cost was unknown (not counted in `costUsd`, never guessed). */
  unpricedCalls: number
}

/** Which budget ended a run or node early. */
export type BudgetName =
  | 'maxIterations'
  | 'maxSubCalls'
  | 'maxTokens'
  | 'maxCostUsd'
  | 'maxWallTimeMs'
  | 'maxErrors'

export type RunStatus = 'final' | 'budget_exhausted' | 'error'

/** One code block of one reply, as it ran in the sandbox. */
export interface CodeCell {
  code: string
  /** What the guest printed (truncated as fed back to the model). */
  output: string
  ok: boolean
  /** Present when the cell failed: sandbox code such as E_SYNTAX, E_RUNTIME, E_TIMEOUT, E_FORBIDDEN. */
  error?: { code: string; message: string }
  durationMs: number
}

/** One turn of a node: the model's reply, the code it contained, and what that code printed. */
export interface IterationRecord {
  index: number
  reply: string
  /** The code blocks of the reply, in order (empty when the reply had none). */
  code: string[]
  cells: CodeCell[]
  /** All cells' output joined, exactly as fed back to the model. */
  output: string
  durationMs: number
  usage: RunUsage
  /** True when this iteration called FINAL / FINAL_VAR. */
  final: boolean
}

/** One `llm_query` (or a slot of `llm_query_batched`, or an `rlm_query` fallback at max depth). */
export interface SubCallRecord {
  id: string
  /** The prompt's first 2,000 characters (a copy: the full prompt is not kept, memory stays flat). */
  prompt: string
  promptChars: number
  /** SHA-1 of the full prompt, as in the `subcall_start` event. */
  promptHash: string
  /** The answer's first 2,000 characters (the guest got all of it; the trace has it whole). */
  answer: string
  answerChars: number
  /** Set when the call failed; `answer` then holds the error marker the guest saw. */
  error?: { code: string; message: string }
  /** 'cancelled': its cell, node or run ended while it was in flight (nothing billed unless reported). */
  status: 'ok' | 'error' | 'cancelled'
  usage: RunUsage
  durationMs: number
  cached: boolean
}

/** A node of the recursion tree: the root run or a child RLM started by `rlm_query`. */
export interface RecursionNode {
  id: string
  /** 0 for the root, parent's depth + 1 for a child. */
  depth: number
  query: string
  status: RunStatus
  answer: string
  iterations: IterationRecord[]
  subCalls: SubCallRecord[]
  children: RecursionNode[]
  /** Usage of this node's own calls (root iterations and sub-calls), children excluded. */
  usage: RunUsage
  durationMs: number
  /** Set when this node stopped on a budget. */
  budget?: BudgetName
}

/** One read of the context by guest code (through the host-backed helpers). */
export interface ContextAccess {
  nodeId: string
  /** 'subcallRange': a range the host sliced into a sub-call prompt or a child's context. */
  kind:
    | 'slice'
    | 'search'
    | 'chunks'
    | 'lines'
    | 'documents'
    | 'describe'
    | 'indexOf'
    | 'split'
    | 'match'
    | 'subcallRange'
  start?: number
  end?: number
  pattern?: string
  results?: number
  timestamp: number
}

export interface RlmResult {
  answer: string
  status: RunStatus
  /** Which budget ran out, when status is 'budget_exhausted'. */
  budget?: BudgetName
  /** Where the partial answer came from when status is 'budget_exhausted'. */
  partialFrom?: 'final_candidate' | 'answer_now' | 'last_output'
  /** What went wrong, when status is 'error'. */
  error?: { code: string; message: string }
  tree: RecursionNode
  /** Rolled up over the whole tree. */
  usage: RunUsage
  durationMs: number
  /** Sub-calls over the whole tree (llm_query slots and rlm_query children). */
  subCalls: number
  /** Deepest level used, counted like `maxDepth` (1 = the root alone). */
  maxDepthReached: number
  contextAccess: ContextAccess[]
  runId: string
  promptVersion: string
}

export function emptyUsage(): RunUsage {
  return { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: 0, calls: 0, unpricedCalls: 0 }
}

/** Adds `b` into `a` (mutating) and returns `a`. */
export function addUsage(a: RunUsage, b: RunUsage): RunUsage {
  a.inputTokens += b.inputTokens
  a.outputTokens += b.outputTokens
  a.cachedInputTokens += b.cachedInputTokens
  a.costUsd += b.costUsd
  a.calls += b.calls
  a.unpricedCalls += b.unpricedCalls
  return a
}
