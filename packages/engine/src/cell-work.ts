// Host work a cell started (a search, a chunking, a long scan) ends with that cell: its signal
// aborts when the cell ends (node.cellSignal), and at the latest one cell timeout after it began.

import { RlmError } from '@rlm/errors'
import type { NodeState } from './node-state.ts'

export async function cellWork<T>(node: NodeState, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ms = node.scope.config.executionTimeoutMs
  const deadline = new AbortController()
  const timer = setTimeout(() => {
    deadline.abort(
      new RlmError('E_TIMEOUT', `Host work ran past the ${fmtMs(ms)} cell time limit and was stopped.`),
    )
  }, ms)
  timer.unref()
  try {
    return await work(AbortSignal.any([node.cellSignal, deadline.signal]))
  } finally {
    clearTimeout(timer)
  }
}

function fmtMs(ms: number): string {
  return `${ms.toLocaleString('en-US')} ms`
}
