// The recursion tree of a run as `GET /v1/runs/:id` shows it: one small record per node (status,
// counts, usage), folded from the run's events as they arrive, so a running run has a tree too
// and a finished one keeps it after its events are dropped from memory.

import type { RlmEvent, RunUsage } from '@rlm/engine'

export interface ApiUsage {
  input_tokens: number
  output_tokens: number
  cached_input_tokens: number
  cost_usd: number
  calls: number
  unpriced_calls: number
}

export interface TreeNodeSummary {
  id: string
  depth: number
  status: 'running' | 'final' | 'budget_exhausted' | 'error'
  query: string
  /** The node's answer, first PREVIEW_CHARS characters (the run's whole answer is `answer`). */
  answer: string | null
  iterations: number
  sub_calls: number
  /** This node's own calls (its turns and sub-calls), children excluded. */
  usage: ApiUsage
  duration_ms: number | null
  children: TreeNodeSummary[]
}

const PREVIEW_CHARS = 500
const preview = (s: string): string => (s.length > PREVIEW_CHARS ? `${s.slice(0, PREVIEW_CHARS)}…` : s)

/** Each engine usage field and its name in the API. */
const USAGE_FIELDS = [
  ['inputTokens', 'input_tokens'],
  ['outputTokens', 'output_tokens'],
  ['cachedInputTokens', 'cached_input_tokens'],
  ['costUsd', 'cost_usd'],
  ['calls', 'calls'],
  ['unpricedCalls', 'unpriced_calls'],
] as const satisfies ReadonlyArray<readonly [keyof RunUsage, keyof ApiUsage]>

/** Adds `u` into `into` (mutating it). */
function addInto(into: ApiUsage, u: RunUsage): void {
  for (const [from, to] of USAGE_FIELDS) into[to] += u[from]
}

const emptyApiUsage = (): ApiUsage => ({
  input_tokens: 0,
  output_tokens: 0,
  cached_input_tokens: 0,
  cost_usd: 0,
  calls: 0,
  unpriced_calls: 0,
})

export function apiUsage(u: RunUsage): ApiUsage {
  const out = emptyApiUsage()
  addInto(out, u)
  return out
}

export class TreeFold {
  readonly #nodes = new Map<string, TreeNodeSummary>()
  #root: TreeNodeSummary | undefined

  #node(id: string, depth: number, query = ''): TreeNodeSummary {
    let n = this.#nodes.get(id)
    if (!n) {
      n = {
        id,
        depth,
        status: 'running',
        query: preview(query),
        answer: null,
        iterations: 0,
        sub_calls: 0,
        usage: emptyApiUsage(),
        duration_ms: null,
        children: [],
      }
      this.#nodes.set(id, n)
      if (depth === 0) this.#root = n
    }
    return n
  }

  add(e: RlmEvent): void {
    switch (e.type) {
      case 'run_start':
        this.#node(e.nodeId, e.depth, e.query)
        return
      case 'child_start': {
        const child = this.#node(e.nodeId, e.depth, e.query)
        this.#nodes.get(e.parentId)?.children.push(child)
        return
      }
      case 'iteration_end':
        this.#node(e.nodeId, e.depth).iterations++
        return
      case 'model_reply':
        addInto(this.#node(e.nodeId, e.depth).usage, e.usage)
        return
      case 'subcall_end': {
        const n = this.#node(e.nodeId, e.depth)
        n.sub_calls++
        addInto(n.usage, e.usage)
        return
      }
      case 'child_end':
      case 'run_end': {
        const n = this.#node(e.nodeId, e.depth)
        n.status = e.status
        n.answer = preview(e.answer)
        n.duration_ms = e.durationMs
        return
      }
      default:
        return
    }
  }

  /** The tree so far (null before the run started). */
  get root(): TreeNodeSummary | null {
    return this.#root ?? null
  }
}
