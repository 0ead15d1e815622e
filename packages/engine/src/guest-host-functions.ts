// The host functions behind the guest API. Arguments come from hostile code, so each one is
// validated with zod before use; context reads are logged and reported as events.

import { RlmError } from '@rlm/errors'
import { z } from 'zod'
import { batchCall, childTextOf, promptOf, singleCall } from './call-shapes.ts'
import { recordAccess } from './context-access-log.ts'
import type { ContextRange } from './context-range.ts'
import { contextIndexOf, contextLastIndexOf, wholeText } from './context-source.ts'
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
const offset = z.number().finite()
const splitSpec = z.union([
  z.object({ literal: z.string().nullable() }),
  z.object({ regex: z.string(), flags: z.string() }),
])

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value)
  if (r.success) return r.data
  const issue = r.error.issues[0]
  const where = issue?.path.length ? ` (${issue.path.join('.')})` : ''
  throw new RlmError('E_ARGUMENT', `${what}: bad argument${where}: ${issue?.message ?? 'invalid'}`)
}

const DEFAULT_SEARCH_LIMIT = 100

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
    ctx_length: sync(() => ctx.length),
    context_tokens: sync(() => ctx.estimateTokens()),
    ctx_slice: sync((start, end) => {
      const a = Math.max(0, Math.min(ctx.length, parse(offset, start, 'context.slice')))
      const b = Math.max(a, Math.min(ctx.length, parse(offset, end, 'context.slice')))
      log({ kind: 'slice', start: a, end: b })
      return ctx.slice(a, b)
    }),
    ctx_index_of: sync((needle, from) => {
      const s = parse(z.string(), needle, 'context.indexOf')
      const i = contextIndexOf(ctx, s, parse(offset, from, 'context.indexOf'))
      log({ kind: 'indexOf', pattern: s, results: i >= 0 ? 1 : 0 })
      return i
    }),
    ctx_last_index_of: sync((needle, from) => {
      const s = parse(z.string(), needle, 'context.lastIndexOf')
      const i = contextLastIndexOf(ctx, s, parse(offset, from, 'context.lastIndexOf'))
      log({ kind: 'indexOf', pattern: s, results: i >= 0 ? 1 : 0 })
      return i
    }),
    ctx_split: sync((spec, limit) => {
      const s = parse(splitSpec, spec, 'context.split')
      const lim =
        limit === null || limit === undefined ? undefined : parse(z.int().min(0), limit, 'context.split')
      let parts: string[]
      if ('regex' in s) {
        // Split on the linear-time search engine's matches, never on a V8 regex over the context.
        const hits = ctx.search(s.regex, {
          ignoreCase: s.flags.includes('i'),
          limit: lim ?? Number.MAX_SAFE_INTEGER,
        })
        parts = []
        let at = 0
        for (const h of hits) {
          if (h.text === '') continue
          parts.push(ctx.slice(at, h.index))
          at = h.index + h.text.length
        }
        parts.push(ctx.slice(at, ctx.length))
        if (lim !== undefined) parts = parts.slice(0, lim)
      } else {
        parts = s.literal === null ? [wholeText(ctx)] : wholeText(ctx).split(s.literal, lim)
      }
      log({ kind: 'split', pattern: 'regex' in s ? s.regex : (s.literal ?? ''), results: parts.length })
      return parts
    }),
    ctx_match: sync((pattern, flags, all) => {
      const p = parse(z.string(), pattern, 'context.match')
      const f = parse(z.string(), flags, 'context.match')
      const hits = ctx.search(p, {
        ignoreCase: f.includes('i'),
        limit: all === true ? Number.MAX_SAFE_INTEGER : 1,
      })
      log({ kind: 'match', pattern: p, results: hits.length })
      return hits.map((h) => ({ index: h.index, text: h.text }))
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
  // RlmErrors cross as they are: the sandbox gives the guest error their stable code as `err.code`.
  const out: Record<string, HostFunction> = {}
  for (const [k, v] of Object.entries(fns)) out[`__rlm_${k}`] = v
  return out
}
