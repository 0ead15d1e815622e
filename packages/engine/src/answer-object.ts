// The `answer` convention: after a cell, a guest `answer` object with `ready === true` ends the
// run like FINAL(answer.content). FINAL called in the same cell wins; anything else is no answer.

import { ANSWER_STATE } from './guest-prelude.ts'
import type { NodeState } from './node-state.ts'

/** Nodes whose guest has set `answer` (or a field of it): only their cells are followed by a look. */
const touched = new WeakSet<NodeState>()

/** The host function the guest's `answer` calls when it is set. */
export function answerHostFunctions(node: NodeState): Record<string, { fn: () => null; sync: true }> {
  return {
    answer_touched: {
      fn: () => {
        touched.add(node)
        return null
      },
      sync: true,
    },
  }
}

/** Sets node.final from a ready answer object, unless the cell already called FINAL. */
export async function takeReadyAnswer(node: NodeState): Promise<void> {
  if (node.final !== undefined || node.sandbox === undefined || !touched.has(node)) return
  try {
    // A one-call cell of its own: the guest's state is read after the model's cell has ended.
    const r = await (await node.sandbox).run(`${ANSWER_STATE}()`)
    if (r.ok && typeof r.value === 'string' && node.final === undefined) node.final = r.value
  } catch {
    // a sandbox that cannot answer has no ready answer
  }
}
