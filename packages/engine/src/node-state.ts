// One node of the recursion tree while it runs: its context, its sandbox (created in the
// background so the first model call does not wait for it), its history and its record.

import type { RunResult, Sandbox } from '@rlm/sandbox'
import type { ContextSource } from './context-source.ts'
import type { ModelMessage } from './model-spec.ts'
import type { RecursionNode } from './result.ts'
import { emptyUsage } from './result.ts'
import type { RunScope } from './run-scope.ts'

/** A cell's result: the sandbox's, or the engine's own when the node stopped before the cell ended. */
export type SandboxRunResult =
  | RunResult
  | { ok: false; output: string; error: { code: string; message: string }; reset?: undefined }

export interface NodeState {
  readonly id: string
  readonly depth: number
  readonly ctx: ContextSource
  readonly contextInline: boolean
  scope: RunScope
  sandbox: Promise<Sandbox> | undefined
  /** Starts the sandbox (once); set until then. The loop calls it once the first request is out. */
  startSandbox: (() => void) | undefined
  messages: ModelMessage[]
  record: RecursionNode
  /**
   * The node's scope: the run's signal for the root, the spawning cell's for a child. When it
   * aborts, the node stops: its calls are cancelled and a child's sandbox is closed.
   */
  signal: AbortSignal
  /**
   * The running cell's cancellation: aborted when the cell ends (timeout, error, FINAL, or its
   * node/run stopping), so every host call it started is cancelled with it. Host functions read it.
   */
  cellSignal: AbortSignal
  /** The cell the sandbox is running, so its printed output is reported as that cell's. */
  runningCell?: { iteration: number; cell: number } | undefined
  /** Set by the guest's FINAL during the current cell. */
  final: string | undefined
  childSeq: number
  subSeq: number
  /** Input tokens of the last root call, for compaction. */
  lastInputTokens: number
  /** History length (chars) when lastInputTokens was measured. */
  lastHistoryChars: number
}

export function newRecord(id: string, depth: number, query: string): RecursionNode {
  return {
    id,
    depth,
    query,
    status: 'error',
    answer: '',
    iterations: [],
    subCalls: [],
    children: [],
    usage: emptyUsage(),
    durationMs: 0,
  }
}
