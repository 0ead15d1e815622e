// The host functions behind the guest API. Arguments come from hostile code, so each one is
// validated with zod before use; context reads are logged and reported as events.

import { RlmError } from '@rlm/errors'
import type { HostFunction as AsyncHostFunction, SyncHostFunction } from '@rlm/sandbox'
import { z } from 'zod'
import { answerHostFunctions } from './answer-object.ts'
import { batchCall, childTextOf, promptOf, singleCall } from './call-shapes.ts'
import { recordAccess } from './context-access-log.ts'
import type { ContextRange } from './context-range.ts'
import { parseArgument as parse } from './guest-arguments.ts'
import { buildContextFunctions } from './guest-context-functions.ts'
import { buildReadFunctions } from './guest-read-functions.ts'
import { checkResultSize, type HostLimits } from './host-limits.ts'
import type { NodeState } from './node-state.ts'
import type { ContextAccess } from './result.ts'
import { type ChildRunner, llmQuery, llmQueryBatched, rlmQuery, rlmQueryBatched } from './sub-calls.ts'
import { callTool } from './tool-calls.ts'

export { DEFAULT_SEARCH_LIMIT } from './guest-read-functions.ts'

/** A guest API entry as the sandbox installs it: async, or `{ fn, sync: true }`. */
export type HostFunction = AsyncHostFunction | SyncHostFunction

export function buildHostFunctions(node: NodeState, runChild: ChildRunner): Record<string, HostFunction> {
  const ctx = node.ctx
  const log = (entry: Omit<ContextAccess, 'nodeId' | 'timestamp'>): void => recordAccess(node, entry)
  const logRange = (r: ContextRange): void => log({ kind: 'subcallRange', start: r.start, end: r.end })
  const sync = (fn: (...args: unknown[]) => unknown): HostFunction => ({ fn, sync: true })
  const limits = node.scope.config.limits

  const fns: Record<string, HostFunction> = {
    ...buildReadFunctions(node, log),
    ...buildContextFunctions(node, log),
    ...answerHostFunctions(node),
    final: sync((text) => {
      node.final = typeof text === 'string' ? text : String(text)
      return null
    }),
    llm_query: (first, second) => {
      const { item, options } = singleCall('llm_query', first, second, ctx.length)
      const prompt = promptOf(ctx, item, logRange)
      return llmQuery(node, prompt, {
        ...options,
        maxOutputTokens: item.maxOutputTokens ?? options.maxOutputTokens,
      })
    },
    llm_query_batched: (first, second) => {
      const { slots, options } = batchCall('llm_query_batched', first, second, ctx.length)
      return llmQueryBatched(node, slots, options, (slot) => {
        if (slot instanceof RlmError) throw slot
        return { prompt: promptOf(ctx, slot, logRange), maxOutputTokens: slot.maxOutputTokens }
      })
    },
    rlm_query: (first, second) => {
      const { item } = singleCall('rlm_query', first, second, ctx.length)
      return rlmQuery(node, item.prompt, childTextOf(ctx, item, logRange), runChild, {
        maxOutputTokens: item.maxOutputTokens,
      })
    },
    rlm_query_batched: (first, second) => {
      const { slots } = batchCall('rlm_query_batched', first, second, ctx.length)
      return rlmQueryBatched(node, slots, runChild, (slot) => {
        if (slot instanceof RlmError) throw slot
        return {
          query: slot.prompt,
          text: childTextOf(ctx, slot, logRange),
          options: { maxOutputTokens: slot.maxOutputTokens },
        }
      })
    },
    tool: (name, args) => callTool(node, parse(z.string(), name, 'tool'), args),
  }
  // RlmErrors cross as they are: the sandbox gives the guest error their stable code as `err.code`.
  const out: Record<string, HostFunction> = {}
  for (const [k, v] of Object.entries(fns)) out[`__rlm_${k}`] = bounded(GUEST_NAMES[k] ?? k, v, limits)
  return out
}

/** How the guest calls the host functions whose names differ. */
const GUEST_NAMES: Record<string, string> = {
  ctx_slice: 'context.slice',
  ctx_split: 'context.split',
  ctx_split_regexp: 'context.split',
  ctx_regexp: 'context.match',
  ctx_replace_plan: 'context.replace',
  ctx_index_of: 'context.indexOf',
  ctx_last_index_of: 'context.lastIndexOf',
}

/** The host function, its answer held to maxHostResultChars. */
function bounded(name: string, f: HostFunction, limits: HostLimits): HostFunction {
  const fn = typeof f === 'function' ? f : f.fn
  const checked = (...args: unknown[]): unknown => {
    const check = (value: unknown): unknown => {
      checkResultSize(name, value, limits)
      return value
    }
    const result = fn(...args)
    return result instanceof Promise ? result.then(check) : check(result)
  }
  return typeof f === 'function' ? checked : { fn: checked, sync: true }
}
