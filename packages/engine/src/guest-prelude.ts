// The guest side of the REPL API, run in the sandbox at creation and after any reset. It wraps
// the host functions (__rlm_*) in the names the paper's prompts use; the host enforces every
// limit (depth, budgets), so nothing here is trusted.

import {
  installAnswer,
  installContextReaders,
  installGuestCore,
  installQueries,
  installShowVars,
} from './guest/guest-api.ts'
import { GUEST_ALIASES } from './guest-aliases.ts'
import { HOST_CONTEXT } from './guest-host-context.ts'

/** Guest function that reports a ready answer object: its serialised content, else null. */
export const ANSWER_STATE = '__rlm_answer_state'

export interface PreludeOptions {
  /** True: `context` is a guest string set as a global; false: build the host-backed object. */
  contextInline: boolean
  toolNames: string[]
}

export function buildPrelude(o: PreludeOptions): string {
  // The core API and SHOW_VARS are guest functions in ./guest/guest-api.ts, shipped as their source
  // text (see the comment there); the aliases, tools and host-backed context are spliced in where
  // the core's helpers are in scope under the names those snippets use.
  return `(function () {
  var G = globalThis;
  var core = (${installGuestCore.toString()})(G, ${JSON.stringify(HOST_NAMES)});
  (${installAnswer.toString()})(G, core, ${JSON.stringify(ANSWER_STATE)});
  var source = (${installContextReaders.toString()})(G, core);
  var queries = (${installQueries.toString()})(G, core);
  var host = core.host, def = core.def, relabel = core.relabel, serialize = core.serialize;
  var firstArg = queries.firstArg, secondArg = queries.secondArg, isError = queries.isError;
  ${GUEST_ALIASES}
  ${o.toolNames.map(toolDef).join('\n  ')}
  ${o.contextInline ? '' : HOST_CONTEXT}
  (${installShowVars.toString()})(G, def);
})();`
}

/** Host function names, without the __rlm_ prefix the sandbox exposes them under. */
export const HOST_NAMES = [
  'final',
  'answer_touched',
  'search',
  'chunks',
  'lines',
  'describe',
  'documents',
  'llm_query',
  'llm_query_batched',
  'rlm_query',
  'rlm_query_batched',
  'tool',
  'ctx_length',
  'ctx_slice',
  'ctx_index_of',
  'ctx_last_index_of',
  'ctx_split',
  'ctx_split_regexp',
  'ctx_regexp',
  'ctx_replace_plan',
  'context_tokens',
] as const

function toolDef(name: string): string {
  return `def(${JSON.stringify(name)}, function ${name}(args) { return host.tool(${JSON.stringify(name)}, args === undefined ? null : args); });`
}
