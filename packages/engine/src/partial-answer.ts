// When a budget ends a node: one last "answer now from what you have" call, else a plain
// "no answer" that says why and keeps the most recent output, so the work done is never lost.

import { errorFields } from '@rlm/errors'
import { callModel } from './model-call.ts'
import { rootModelWindow } from './model-window.ts'
import type { NodeState } from './node-state.ts'
import { ANSWER_NOW_MESSAGE } from './prompt/system-prompt.ts'
import { addUsage } from './result.ts'

export async function answerNow(node: NodeState): Promise<string | undefined> {
  const scope = node.scope
  const messages = [...node.messages]
  const last = messages[messages.length - 1]
  if (last?.role === 'user')
    messages[messages.length - 1] = { role: 'user', content: `${last.content}\n\n${ANSWER_NOW_MESSAGE}` }
  else messages.push({ role: 'user', content: ANSWER_NOW_MESSAGE })
  try {
    const res = await callModel(scope, scope.model, messages, {
      maxOutputTokens: scope.config.maxOutputTokens,
      temperature: scope.config.temperature,
      signal: answerNowSignal(node),
      window: rootModelWindow(scope),
      // Only if its own worst case fits what the token and cost budgets have left.
      reserve: 'ifFits',
      replayKey: { kind: 'node', nodeId: node.id, purpose: 'answer_now' },
    })
    addUsage(node.record.usage, res.usage)
    scope.emit(node, {
      type: 'model_reply',
      purpose: 'answer_now',
      iteration: node.record.iterations.length,
      text: res.text,
      usage: res.usage,
      durationMs: res.durationMs,
      cached: res.cached,
    })
    node.messages = [...messages, { role: 'assistant', content: res.text }]
    const text = res.text.trim()
    return text === '' ? undefined : text
  } catch (cause) {
    const e = errorFields(cause)
    scope.emit(node, {
      type: 'error',
      code: e.code,
      message: `The final "answer now" call failed: ${e.message}`,
      fatal: false,
    })
    return undefined
  }
}

/** Most time the "answer now" call gets under a wall budget: 10 s or 10% of it, whichever is less. */
const ANSWER_NOW_MAX_MS = 10_000

/**
 * The last call outlives the spent budget's abort, so it gets its own limits: the caller's
 * cancellation, the node's scope when a parent cell ended, and a short time under a wall budget.
 */
function answerNowSignal(node: NodeState): AbortSignal {
  const scope = node.scope
  const signals: AbortSignal[] = []
  if (scope.signal) signals.push(scope.signal)
  if (node.depth > 0) signals.push(node.signal)
  const wall = scope.budget.limits.maxWallTimeMs
  if (wall !== undefined) signals.push(AbortSignal.timeout(Math.min(ANSWER_NOW_MAX_MS, Math.ceil(wall / 10))))
  return signals.length === 0 ? new AbortController().signal : AbortSignal.any(signals)
}

/** The latest printed output of a cell that ran without error, else ''. Never a model reply. */
export function lastUsefulOutput(node: NodeState): string {
  const its = node.record.iterations
  for (let i = its.length - 1; i >= 0; i--) {
    const it = its[i]!
    const ok = it.cells.filter((c) => c.ok && c.output.trim() !== '')
    if (ok.length) return ok[ok.length - 1]!.output.trim()
  }
  return ''
}

/** A partial answer in prose when the model gave none: why, then the last output if any. */
export function noAnswer(node: NodeState, why: string): string {
  const output = lastUsefulOutput(node)
  return output === '' ? `No answer: ${why}.` : `No answer: ${why}. The last REPL output was:\n${output}`
}
