// The `answer` convention: after a cell, a guest `answer` object with `ready === true` ends the
// run like FINAL(answer.content). FINAL called in the same cell wins; anything else is no answer.

import { ANSWER_STATE } from './guest-prelude.ts'
import type { NodeState } from './node-state.ts'

/** Sets node.final from a ready answer object, unless the cell already called FINAL. */
export async function takeReadyAnswer(node: NodeState): Promise<void> {
  if (node.final !== undefined || node.sandbox === undefined) return
  try {
    // A one-call cell of its own: the guest's state is read after the model's cell has ended.
    const r = await (await node.sandbox).run(`${ANSWER_STATE}()`)
    if (r.ok && typeof r.value === 'string' && node.final === undefined) node.final = r.value
  } catch {
    // a sandbox that cannot answer has no ready answer
  }
}
