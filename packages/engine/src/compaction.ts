// Keeps long runs going: near the root model's context window, older turns are summarized by
// the model into one message while the sandbox (and every variable in it) stays as it is.

import { errorFields } from '@rlm/errors'
import { callModel } from './model-call.ts'
import type { ModelMessage } from './model-spec.ts'
import { rootModelWindow } from './model-window.ts'
import type { NodeState } from './node-state.ts'
import { COMPACTION_REQUEST, compactedMessage } from './prompt/system-prompt.ts'
import { addUsage } from './result.ts'

export function historyChars(messages: ModelMessage[]): number {
  let n = 0
  for (const m of messages) n += m.content.length
  return n
}

/** Tokens the next root call will send: the last measured prompt plus what was added since. */
export function estimateHistoryTokens(node: NodeState): number {
  const chars = historyChars(node.messages)
  const byChars = Math.ceil(chars / 4)
  if (node.lastInputTokens <= 0) return byChars
  return Math.max(byChars, node.lastInputTokens + Math.ceil((chars - node.lastHistoryChars) / 4))
}

export async function maybeCompact(node: NodeState, iteration: number, headMessage: string): Promise<void> {
  const scope = node.scope
  const cfg = scope.config.compaction
  if (cfg === false) return
  const window = rootModelWindow(scope)
  if (!window) return
  const before = estimateHistoryTokens(node)
  // Also before the next turn's history and output cap together would pass the window, so the
  // provider never has to reject a turn the engine could have compacted.
  const output = scope.config.maxOutputTokens ?? 0
  if (before < cfg.threshold * window && before + output < window) return
  // messages: [system, head user, (assistant, user)*]; keep the last keepIterations pairs.
  const keepFrom = node.messages.length - cfg.keepIterations * 2
  if (keepFrom <= 2) return
  const older = node.messages.slice(0, keepFrom)
  const last = older[older.length - 1]!
  const request: ModelMessage[] =
    last.role === 'user'
      ? [...older.slice(0, -1), { role: 'user', content: `${last.content}\n\n${COMPACTION_REQUEST}` }]
      : [...older, { role: 'user', content: COMPACTION_REQUEST }]
  try {
    const res = await callModel(scope, scope.model, request, {
      maxOutputTokens: scope.config.maxOutputTokens,
      signal: node.signal,
      window,
      replayKey: { kind: 'node', nodeId: node.id, purpose: 'compaction' },
    })
    addUsage(node.record.usage, res.usage)
    scope.emit(node, {
      type: 'model_reply',
      purpose: 'compaction',
      iteration,
      text: res.text,
      usage: res.usage,
      durationMs: res.durationMs,
      cached: res.cached,
    })
    node.messages = [
      node.messages[0]!,
      { role: 'user', content: `${headMessage}\n\n${compactedMessage(res.text)}` },
      ...node.messages.slice(keepFrom),
    ]
    node.lastInputTokens = 0
    const after = estimateHistoryTokens(node)
    scope.emit(node, {
      type: 'compaction',
      iteration,
      tokensBefore: before,
      tokensAfter: after,
      summary: res.text,
    })
  } catch (cause) {
    const e = errorFields(cause)
    scope.emit(node, {
      type: 'error',
      code: e.code,
      message: `Compaction failed, continuing without it: ${e.message}`,
      fatal: false,
    })
  }
}
