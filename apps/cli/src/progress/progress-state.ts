// Folds the engine's events into the figures a person watches during a run: iteration and depth
// of the node working now, sub-calls done and in flight, children, tokens, cost and elapsed time.

import type { RlmEvent } from '@rlm/engine'

export interface ProgressState {
  startedAt: number
  nodeId: string
  depth: number
  iteration: number
  maxDepthSeen: number
  subCallsDone: number
  subCallsFailed: number
  inFlight: number
  childrenStarted: number
  childrenDone: number
  inputTokens: number
  outputTokens: number
  costUsd: number
  unpricedCalls: number
  errors: number
}

export function createProgressState(now = Date.now()): ProgressState {
  return {
    startedAt: now,
    nodeId: '0',
    depth: 0,
    iteration: 0,
    maxDepthSeen: 0,
    subCallsDone: 0,
    subCallsFailed: 0,
    inFlight: 0,
    childrenStarted: 0,
    childrenDone: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    unpricedCalls: 0,
    errors: 0,
  }
}

function addUsage(
  s: ProgressState,
  u: { inputTokens: number; outputTokens: number; costUsd: number; unpricedCalls: number },
): void {
  s.inputTokens += u.inputTokens
  s.outputTokens += u.outputTokens
  s.costUsd += u.costUsd
  s.unpricedCalls += u.unpricedCalls
}

export function applyEvent(s: ProgressState, e: RlmEvent): void {
  s.maxDepthSeen = Math.max(s.maxDepthSeen, e.depth)
  switch (e.type) {
    case 'iteration_start':
      s.nodeId = e.nodeId
      s.depth = e.depth
      s.iteration = e.iteration
      break
    case 'model_reply':
      addUsage(s, e.usage)
      break
    case 'subcall_start':
      s.inFlight++
      break
    case 'subcall_end':
      s.inFlight = Math.max(0, s.inFlight - 1)
      s.subCallsDone++
      if (e.error) s.subCallsFailed++
      addUsage(s, e.usage)
      break
    case 'child_start':
      s.childrenStarted++
      break
    case 'child_end':
      s.childrenDone++
      break
    case 'error':
      s.errors++
      break
  }
}
