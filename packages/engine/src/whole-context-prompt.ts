// rlm_query at max depth runs as one sub-model call. Given no text, that call reads this node's
// whole context: handed to llmQuery as deferred text, so its window check is assertFitsWindow's,
// like every other sub-call prompt, and an oversized context is refused before anything is sent.

import { recordAccess } from './context-access-log.ts'
import type { LazyText } from './context-range.ts'
import { wholeText } from './context-source.ts'
import { subModelWindow } from './model-window.ts'
import type { NodeState } from './node-state.ts'

export interface WholeContextText {
  text: LazyText
  /** What to do instead, for the E_CONTEXT_WINDOW message. */
  advice: string
}

export function wholeContextForSubModel(node: NodeState): WholeContextText {
  const { scope, ctx } = node
  const window = subModelWindow(scope)
  const size = Math.floor((window ?? 0) / 2).toLocaleString('en-US')
  let logged = false
  return {
    text: {
      chars: ctx.length,
      read: () => {
        // The window check may read it once before the call does: one access, not two.
        if (!logged) recordAccess(node, { kind: 'subcallRange', start: 0, end: ctx.length })
        logged = true
        return wholeText(ctx)
      },
    },
    advice: `rlm_query at max depth (maxDepth ${scope.config.maxDepth}) is one sub-model call, and with no text it reads this whole context. Pass a part instead, e.g. rlm_query(query, chunk) for each chunk of chunks({ strategy: 'tokens', size: ${size} }), or map the chunks with llm_query_batched and merge the answers.`,
  }
}
