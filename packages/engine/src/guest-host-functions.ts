// The host functions behind the guest API. Arguments come from hostile code, so each one is
// validated with zod before use; context reads are logged and reported as events.

import { RlmError } from '@rlm/errors'
import { z } from 'zod'
import { batchCall, childTextOf, promptOf, singleCall } from './call-shapes.ts'
import { recordAccess } from './context-access-log.ts'
import type { ContextRange } from './context-range.ts'
import { buildContextFunctions } from './guest-context-functions.ts'
import type { NodeState } from './node-state.ts'
import type { ContextAccess } from './result.ts'
import { type ChildRunner, llmQuery, llmQueryBatched, rlmQuery, rlmQueryBatched } from './sub-calls.ts'

export type HostFunction =
  | ((...args: unknown[]) => unknown)
  | { fn: (...args: unknown[]) => unknown; sync: true }

const searchOptions = z
  .object({
    limit: z.int().positive().optional(),
    ignoreCase: z.boolean().optional(),
    literal: z.boolean().optional(),
  })
  .loose()
const chunkOptions = z
  .object({
    strategy: z.enum(['fixed', 'tokens', 'paragraph', 'lines', 'document']).optional(),
    size: z.int().positive().optional(),
    overlap: z.int().min(0).optional(),
  })
  .loose()

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value)
  if (r.success) return r.data
  const issue = r.error.issues[0]
  const where = issue?.path.length ? ` (${issue.path.join('.')})` : ''
  throw new RlmError('E_ARGUMENT', `${what}: bad argument${where}: ${issue?.message ?? 'invalid'}`)
}

/** Hits search() returns when the guest passes no limit (the prompt says so). */
export const DEFAULT_SEARCH_LIMIT = 100

export function buildHostFunctions(node: NodeState, runChild: ChildRunner): Record<string, HostFunction> {
  const ctx = node.ctx
  const log = (entry: Omit<ContextAccess, 'nodeId' | 'timestamp'>): void => recordAccess(node, entry)
  const logRange = (r: ContextRange): void => log({ kind: 'subcallRange', start: r.start, end: r.end })
  const sync = (fn: (...args: unknown[]) => unknown): HostFunction => ({ fn, sync: true })
  const tools = node.scope.config.tools

  const fns: Record<string, HostFunction> = {
    final: sync((text) => {
      node.final = typeof text === 'string' ? text : String(text)
      return null
    }),
    search: sync((pattern, options) => {
      const p = parse(z.string(), pattern, 'search(pattern)')
      const o = parse(searchOptions, options ?? {}, 'search(pattern, options)')
      const hits = ctx.search(p, { ...o, limit: o.limit ?? DEFAULT_SEARCH_LIMIT })
      log({ kind: 'search', pattern: p, results: hits.length })
      return hits
    }),
    chunks: sync((options) => {
      const o = parse(chunkOptions, options ?? {}, 'chunks(options)')
      const list = ctx.chunk({
        strategy: o.strategy ?? 'fixed',
        ...(o.size && { size: o.size }),
        ...(o.overlap !== undefined && { overlap: o.overlap }),
      })
      log({ kind: 'chunks', results: list.length })
      return list
    }),
    lines: sync((from, to) => {
      const a = parse(z.int().min(1), from, 'lines(from, to)')
      const b = parse(z.int().min(a), to, 'lines(from, to)')
      const text = ctx.lines(a, b)
      log({ kind: 'lines', start: a, end: b })
      return text
    }),
    describe: sync(() => {
      log({ kind: 'describe' })
      return ctx.describe()
    }),
    documents: sync(() => ctx.documents.map((d) => ({ name: d.name, start: d.start, end: d.end }))),
    context_tokens: sync(() => ctx.estimateTokens()),
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
    tool: async (name, args) => {
      const toolName = parse(z.string(), name, 'tool')
      const def = Object.hasOwn(tools, toolName) ? tools[toolName] : undefined
      if (!def) throw new RlmError('E_ARGUMENT', `No tool named ${toolName}.`)
      let input: unknown = args
      if (def.parameters) {
        const r = def.parameters.safeParse(args)
        if (!r.success) {
          const issue = r.error.issues[0]
          throw new RlmError(
            'E_TOOL_ARGS',
            `${toolName}: bad arguments${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue?.message ?? 'invalid'}`,
          )
        }
        input = r.data
      }
      const result = await def.execute(input)
      return result === undefined ? null : result
    },
  }
  Object.assign(fns, buildContextFunctions(ctx, node.scope.config.limits, log))
  // RlmErrors cross as they are: the sandbox gives the guest error their stable code as `err.code`.
  const out: Record<string, HostFunction> = {}
  for (const [k, v] of Object.entries(fns)) out[`__rlm_${k}`] = v
  return out
}
