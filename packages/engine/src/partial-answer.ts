// When a budget ends a node: one last "answer now from what you have" call, else the most
// recent useful output, so the work done is never lost.

import { callModel } from './model-call.ts'
import type { NodeState } from './node-state.ts'
import { ANSWER_NOW_MESSAGE } from './prompt/system-prompt.ts'
import { addUsage } from './result.ts'
import { toError } from './sub-calls.ts'

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
      // Outlives the spent budget's abort; only the caller's cancellation stops it.
      signal: scope.signal ?? new AbortController().signal,
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
    const e = toError(cause)
    scope.emit(node, {
      type: 'error',
      code: e.code,
      message: `The final "answer now" call failed: ${e.message}`,
      fatal: false,
    })
    return undefined
  }
}

/** The latest output of a turn whose code ran, else the latest reply, else ''. */
export function lastUsefulOutput(node: NodeState): string {
  const its = node.record.iterations
  for (let i = its.length - 1; i >= 0; i--) {
    const it = its[i]!
    const ok = it.cells.filter((c) => c.ok && c.output.trim() !== '')
    if (ok.length) return ok[ok.length - 1]!.output.trim()
  }
  for (let i = its.length - 1; i >= 0; i--) if (its[i]!.reply.trim()) return its[i]!.reply.trim()
  return ''
}
