// A run as the runs API shows it (GET /v1/runs/:id): status, answer, usage, the tree so far, and
// where its events, trace and viewer are.

import type { ManagedRun } from './managed-run.ts'
import { type ApiUsage, apiUsage, type TreeNodeSummary } from './run-tree.ts'

export interface RunState {
  id: string
  object: 'rlm.run'
  kind: 'chat' | 'run'
  status: ManagedRun['status']
  model: string
  query: string
  /** Unix seconds, like OpenAI's `created`. */
  created_at: number
  started_at: number | null
  ended_at: number | null
  answer: string | null
  /** Which budget ran out (status budget_exhausted). */
  budget: string | null
  error: { code: string; message: string } | null
  /** The whole tree's usage (null until the run ends; see `tree` for the running figures). */
  usage: ApiUsage | null
  sub_calls: number | null
  max_depth_reached: number | null
  duration_ms: number | null
  /** Events numbered so far (the `id` of the last one on the events stream). */
  events: number
  tree: TreeNodeSummary | null
  events_url: string
  trace_url: string
  view_url: string
}

const seconds = (ms: number | undefined): number | null => (ms === undefined ? null : Math.floor(ms / 1000))

export function runState(run: ManagedRun, options: { tree?: boolean } = {}): RunState {
  const r = run.result
  const base = `/v1/runs/${run.id}`
  return {
    id: run.id,
    object: 'rlm.run',
    kind: run.kind,
    status: run.status,
    model: run.model,
    query: run.query,
    created_at: Math.floor(run.createdAt / 1000),
    started_at: seconds(run.startedAt),
    ended_at: seconds(run.endedAt),
    answer: r ? r.answer : null,
    budget: r?.budget ?? null,
    error: run.error ?? null,
    usage: r ? apiUsage(r.usage) : null,
    sub_calls: r ? r.subCalls : null,
    max_depth_reached: r ? r.maxDepthReached : null,
    duration_ms: r ? Math.round(r.durationMs) : null,
    events: run.eventCount,
    tree: options.tree === false ? null : run.tree.root,
    events_url: `${base}/events`,
    trace_url: `${base}/trace`,
    view_url: `${base}/view`,
  }
}
