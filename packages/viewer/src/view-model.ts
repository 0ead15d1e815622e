// The compact model the viewer page draws: one entry per run, each with its recursion nodes, their
// iterations, sub-calls, context reads and notes, plus every problem found in the trace. Texts are
// already cut and sizes already bounded when a value of these types exists.

export interface ViewUsage {
  inputTokens: number
  outputTokens: number
  costUsd: number
  calls: number
  unpricedCalls: number
}

export interface ViewError {
  code: string
  message: string
}

export interface ViewCell {
  code: string
  output: string
  ok: boolean
  error?: ViewError
  durationMs: number
}

export interface ViewIteration {
  n: number
  reply: string
  cells: ViewCell[]
  durationMs: number
  usage: ViewUsage
  final: boolean
  subCalls: number
}

export interface ViewSubCall {
  id: string
  iteration: number
  prompt: string
  promptChars: number
  answer: string
  error?: ViewError
  /** 'running' until its end event; then 'ok', 'error' or 'cancelled'. */
  status: string
  usage: ViewUsage
  durationMs: number
  cached: boolean
}

export interface ViewAccess {
  kind: string
  start?: number
  end?: number
  pattern?: string
  results?: number
}

/** A line under a node: FINAL, notices, errors, budgets, batches, and the trace's own problems. */
export interface ViewNote {
  kind: string
  text: string
  /** True for a problem of the trace itself (a line the viewer could not use). */
  invalid?: boolean
}

export interface ViewNode {
  id: string
  depth: number
  query: string
  status: string
  answer: string
  budget?: string
  durationMs: number
  /** This node's own calls. */
  usage: ViewUsage
  /** This node's and all its descendants' calls. */
  total: ViewUsage
  iterations: ViewIteration[]
  subCalls: ViewSubCall[]
  accesses: ViewAccess[]
  notes: ViewNote[]
  /** Ids of the nodes shown under this one in the tree. */
  children: string[]
}

export interface ViewRun {
  runId: string
  query: string
  model: string
  subModel: string
  promptVersion: string
  startedAt: number
  context: { length: number; documents: number }
  /** The run's settings, cut to a bounded depth and size. */
  settings: unknown
  status: string
  answer: string
  error?: ViewError
  budget?: string
  usage: ViewUsage
  durationMs: number
  subCalls: number
  maxDepthReached: number
  complete: boolean
  nodes: ViewNode[]
  /** Top-level nodes of the tree: the root, then nodes whose parent the trace never mentions. */
  roots: string[]
  /** What the viewer left out or cut for this run (node cap, size cap), one sentence each. */
  limits: string[]
}

/** A trace line the viewer could not use, or an event type it does not know. */
export interface ViewIssue {
  line: number
  kind: string
  message: string
  type?: string
  runId?: string
  nodeId?: string
}

export interface ViewData {
  title: string
  runs: ViewRun[]
  /** The first issues of the trace (see issueCount for how many there were). */
  issues: ViewIssue[]
  issueCount: number
  /** What the viewer left out or cut across the whole trace, one sentence each. */
  limits: string[]
}
