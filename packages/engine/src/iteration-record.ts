// What one turn of the node loop leaves behind: the model's reply in the history and the usage,
// the turn in the node's record, and the model_reply and iteration_end events.

import type { ModelCallResult } from './model-call.ts'
import type { NodeState } from './node-state.ts'
import type { CodeCell } from './result.ts'
import { addUsage } from './result.ts'

/** The reply's usage is counted, reported, and the reply joins the history. */
export function acceptReply(node: NodeState, iteration: number, reply: ModelCallResult): void {
  addUsage(node.record.usage, reply.usage)
  node.scope.emit(node, {
    type: 'model_reply',
    purpose: 'iteration',
    iteration,
    text: reply.text,
    usage: reply.usage,
    durationMs: reply.durationMs,
    cached: reply.cached,
  })
  node.messages.push({ role: 'assistant', content: reply.text })
}

export function recordIteration(
  node: NodeState,
  iteration: number,
  reply: ModelCallResult,
  turn: { code: string[]; cells: CodeCell[]; output: string },
  durationMs: number,
  final: boolean,
): void {
  node.record.iterations.push({
    index: iteration,
    reply: reply.text,
    code: turn.code,
    cells: turn.cells,
    output: turn.output,
    durationMs,
    usage: reply.usage,
    final,
  })
  node.scope.emit(node, {
    type: 'iteration_end',
    iteration,
    reply: reply.text,
    code: turn.code,
    output: turn.output,
    final,
    durationMs,
    usage: reply.usage,
  })
}
