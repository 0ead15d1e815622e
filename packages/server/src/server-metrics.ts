// GET /metrics in Prometheus' text format (prom-client): runs by status, runs refused at capacity,
// running and queued runs, sub-calls, tokens and cost over every run's whole tree, and latency
// histograms of runs, model calls, sub-calls and HTTP requests. One registry per server, so two
// servers in one process never share counters.

import type { RlmEvent } from '@rlm/engine'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { ManagedRun } from './managed-run.ts'
import type { RunManager, RunObserver } from './run-manager.ts'

export interface ServerMetrics {
  readonly registry: Registry
  readonly observer: RunObserver
  /** Records one HTTP request: its route pattern (not the path, which holds run ids), method and status. */
  observeRequest(route: string, method: string, status: number, seconds: number): void
}

const RUN_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800]
const CALL_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120]
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600]

/** Counters and gauges of runs, sub-calls, tokens and cost (the gauges read the run manager when scraped). */
function defineCountMetrics(registry: Registry, runs: () => RunManager) {
  const registers = [registry]
  collectDefaultMetrics({ register: registry })
  const runsTotal = new Counter({
    name: 'rlm_runs_total',
    help: 'Runs ended, by status (final, budget_exhausted, error, cancelled).',
    labelNames: ['status', 'kind'],
    registers,
  })
  const rejected = new Counter({
    name: 'rlm_runs_rejected_total',
    help: 'Runs refused because the server was at capacity (429).',
    registers,
  })
  new Gauge({
    name: 'rlm_runs_running',
    help: 'Runs in progress.',
    registers,
    collect() {
      this.set(runs().running)
    },
  })
  new Gauge({
    name: 'rlm_queue_depth',
    help: 'Runs waiting for a slot (--max-concurrent-runs).',
    registers,
    collect() {
      this.set(runs().queued)
    },
  })
  const subCalls = new Counter({
    name: 'rlm_subcalls_total',
    help: 'Sub-calls (llm_query and batch items) over every run, by status.',
    labelNames: ['status'],
    registers,
  })
  const tokens = new Counter({
    name: 'rlm_tokens_total',
    help: "Tokens over every run's whole tree, by kind (input, output, cached_input).",
    labelNames: ['kind'],
    registers,
  })
  const cost = new Counter({
    name: 'rlm_cost_usd_total',
    help: "Cost in USD over every run's whole tree (calls of unpriced models count 0).",
    registers,
  })
  return { runsTotal, rejected, subCalls, tokens, cost }
}

/** Latency histograms of runs, queueing, model calls, sub-calls and HTTP requests. */
function defineLatencyMetrics(registry: Registry) {
  const registers = [registry]
  const runSeconds = new Histogram({
    name: 'rlm_run_duration_seconds',
    help: 'Wall time of runs from start to end (queueing excluded), by status.',
    labelNames: ['status'],
    buckets: RUN_BUCKETS,
    registers,
  })
  const queueSeconds = new Histogram({
    name: 'rlm_run_queue_seconds',
    help: 'Time runs waited in the queue before starting.',
    buckets: RUN_BUCKETS,
    registers,
  })
  const modelSeconds = new Histogram({
    name: 'rlm_model_call_duration_seconds',
    help: "Latency of each node's own model calls (turns, answer-now, compaction).",
    buckets: CALL_BUCKETS,
    registers,
  })
  const subCallSeconds = new Histogram({
    name: 'rlm_subcall_duration_seconds',
    help: 'Latency of sub-calls, by status.',
    labelNames: ['status'],
    buckets: CALL_BUCKETS,
    registers,
  })
  const http = new Histogram({
    name: 'rlm_http_request_duration_seconds',
    help: 'HTTP requests until the response started (streams: until their headers), by route, method and status.',
    labelNames: ['route', 'method', 'status'],
    buckets: HTTP_BUCKETS,
    registers,
  })
  return { runSeconds, queueSeconds, modelSeconds, subCallSeconds, http }
}

export function createServerMetrics(runs: () => RunManager): ServerMetrics {
  const registry = new Registry()
  const { runsTotal, rejected, subCalls, tokens, cost } = defineCountMetrics(registry, runs)
  const { runSeconds, queueSeconds, modelSeconds, subCallSeconds, http } = defineLatencyMetrics(registry)
  const onEvent = (_run: ManagedRun, e: RlmEvent): void => {
    if (e.type === 'subcall_end') {
      subCalls.inc({ status: e.status })
      subCallSeconds.observe({ status: e.status }, e.durationMs / 1000)
    } else if (e.type === 'model_reply' && !e.cached) {
      modelSeconds.observe(e.durationMs / 1000)
    }
  }
  const onEnd = (run: ManagedRun): void => {
    runsTotal.inc({ status: run.status, kind: run.kind })
    if (run.startedAt !== undefined) {
      queueSeconds.observe((run.startedAt - run.createdAt) / 1000)
      runSeconds.observe({ status: run.status }, ((run.endedAt ?? Date.now()) - run.startedAt) / 1000)
    }
    const u = run.result?.usage
    if (u) {
      tokens.inc({ kind: 'input' }, u.inputTokens)
      tokens.inc({ kind: 'output' }, u.outputTokens)
      tokens.inc({ kind: 'cached_input' }, u.cachedInputTokens)
      cost.inc(u.costUsd)
    }
  }
  return {
    registry,
    observer: { onEvent, onEnd, onReject: () => rejected.inc() },
    observeRequest: (route, method, status, seconds) =>
      http.observe({ route, method, status: String(status) }, seconds),
  }
}
