// rlm_query at max depth runs as one sub-model call. Given no text, that call reads this node's
// whole context, so it must fit the sub-model's window: checked on the estimate, before any read.

import { RlmError } from '@rlm/errors'
import { recordAccess } from './context-access-log.ts'
import { wholeText } from './context-source.ts'
import { CHARS_PER_TOKEN, subModelWindow } from './model-window.ts'
import type { NodeState } from './node-state.ts'

export function wholeContextForSubModel(
  node: NodeState,
  query: string,
  outputTokens: number | undefined,
): string {
  const scope = node.scope
  const window = subModelWindow(scope)
  const tokens = node.ctx.estimateTokens() + Math.ceil(query.length / CHARS_PER_TOKEN)
  const room =
    window === undefined ? undefined : window - (outputTokens ?? scope.config.subMaxOutputTokens ?? 0)
  if (room !== undefined && tokens > room) {
    const n = (x: number) => x.toLocaleString('en-US')
    throw new RlmError(
      'E_CONTEXT_WINDOW',
      `rlm_query at max depth (maxDepth ${scope.config.maxDepth}) is one sub-model call, and with no text it reads this whole context: about ${n(tokens)} tokens, more than the sub-model's window of ${n(window!)} tokens. Pass a part instead, e.g. rlm_query(query, chunk) for each chunk of chunks({ strategy: 'tokens', size: ${n(Math.floor(window! / 2))} }), or map the chunks with llm_query_batched and merge the answers.`,
      { details: { tokens, window } },
    )
  }
  recordAccess(node, { kind: 'subcallRange', start: 0, end: node.ctx.length })
  return wholeText(node.ctx)
}
