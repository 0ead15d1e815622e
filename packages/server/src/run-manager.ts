// Admits, queues, runs, cancels and forgets runs: at most `maxConcurrentRuns` at once, at most
// `maxQueue` waiting (beyond that, 429 with Retry-After), one run per idempotency key, the last
// `keepFinishedRuns` finished runs kept for GET. On shutdown, queued runs are cancelled, running
// ones get a grace period and are then cancelled through their whole tree.

import { join } from 'node:path'
import { type ContextInput, type Rlm, type RlmEvent, traceFileName } from '@rlm/engine'
import { isRlmError } from '@rlm/errors'
import { ApiError } from './api-error.ts'
import { ManagedRun, type RunDescription } from './managed-run.ts'

export interface RunRequest extends RunDescription {
  /** The engine, configured with this run's models and settings. */
  rlm: Rlm
  /** Loads the context when the run starts, so queued runs hold no file contents. */
  context: () => Promise<ContextInput | undefined>
}

export interface SubmitOptions {
  /** Runs submitted with the same key get the same run (an SDK's retry does not start a second). */
  idempotencyKey?: string | undefined
  /** What the request asked for: the same key with another request is a 409. */
  fingerprint?: string | undefined
}

/** Hooks for metrics and tracing. */
export interface RunObserver {
  onStart?(run: ManagedRun): void
  onEvent?(run: ManagedRun, event: RlmEvent): void
  onEnd?(run: ManagedRun): void
  /** A run refused at capacity (429). */
  onReject?(): void
}

export interface RunManagerOptions {
  maxConcurrentRuns?: number
  maxQueue?: number
  /** Finished runs kept for GET /v1/runs/:id (oldest forgotten first). */
  keepFinishedRuns?: number
  /**
   * Events of finished runs kept in memory when there is no trace file, over all of them (default
   * 200,000); past it the oldest runs' events are forgotten, their state and tree kept.
   */
  maxEventsInMemory?: number
  /** Directory of the runs' JSONL traces; false: none (events then stay in memory). */
  traceDir?: string | false
  observers?: RunObserver[]
}

export interface RunManager {
  submit(request: RunRequest, options?: SubmitOptions): { run: ManagedRun; reused: boolean }
  get(id: string): ManagedRun | undefined
  /** Every run held, newest first. */
  list(): ManagedRun[]
  readonly running: number
  readonly queued: number
  readonly accepting: boolean
  /** Refuses new runs, cancels queued ones, lets running ones finish for `graceMs`, then cancels them. */
  shutdown(graceMs: number): Promise<void>
}

export const RUN_MANAGER_DEFAULTS = {
  maxConcurrentRuns: 4,
  maxQueue: 64,
  keepFinishedRuns: 200,
  maxEventsInMemory: 200_000,
} as const

/** Retry-After in whole seconds (at least 1), and the millisecond figure the OpenAI SDKs read first. */
function retryHeaders(ms: number): Record<string, string> {
  return {
    'retry-after': String(Math.max(1, Math.ceil(ms / 1000))),
    'retry-after-ms': String(Math.round(ms)),
  }
}

export function createRunManager(options: RunManagerOptions = {}): RunManager {
  const maxConcurrent = options.maxConcurrentRuns ?? RUN_MANAGER_DEFAULTS.maxConcurrentRuns
  const maxQueue = options.maxQueue ?? RUN_MANAGER_DEFAULTS.maxQueue
  const keep = options.keepFinishedRuns ?? RUN_MANAGER_DEFAULTS.keepFinishedRuns
  const maxEventsInMemory = options.maxEventsInMemory ?? RUN_MANAGER_DEFAULTS.maxEventsInMemory
  const traceDir = options.traceDir ?? false
  const observers = options.observers ?? []
  const notify = (fn: (o: RunObserver) => void): void => {
    for (const o of observers) {
      try {
        fn(o)
      } catch {
        // metrics or tracing never break a run
      }
    }
  }
  const runs = new Map<string, ManagedRun>()
  const requests = new Map<ManagedRun, RunRequest>()
  const byKey = new Map<string, { run: ManagedRun; fingerprint: string | undefined }>()
  const queue: ManagedRun[] = []
  const finished: ManagedRun[] = []
  let running = 0
  let accepting = true
  // Mean run time (moving average): the wait suggested to a refused client is the time the queue
  // takes to drain at this pace, so retries arrive about when there is room again.
  let meanRunMs = 1_000
  const retryAfterMs = (): number =>
    Math.min(60_000, Math.max(100, (meanRunMs * (queue.length + 1)) / maxConcurrent))

  // Events of finished runs without a trace file stay in memory, up to maxEventsInMemory over all
  // of them; past it the oldest runs' events are forgotten (their state and tree stay).
  let retainedEvents = 0
  const retire = (run: ManagedRun): void => {
    requests.delete(run)
    finished.push(run)
    retainedEvents += run.eventsInMemory
    while (finished.length > keep) {
      const old = finished.shift() as ManagedRun
      retainedEvents -= old.eventsInMemory
      runs.delete(old.id)
      for (const [key, entry] of byKey) if (entry.run === old) byKey.delete(key)
    }
    for (const old of finished) {
      if (retainedEvents <= maxEventsInMemory) break
      retainedEvents -= old.eventsInMemory
      old.dropEvents()
    }
    notify((o) => o.onEnd?.(run))
  }

  const start = async (run: ManagedRun, request: RunRequest): Promise<void> => {
    running++
    const trace = traceDir ? join(traceDir, traceFileName('serve')) : undefined
    run.markRunning(trace)
    notify((o) => o.onStart?.(run))
    try {
      const context = await request.context()
      const result = await request.rlm.run({
        query: request.query,
        ...(context !== undefined && { context }),
        signal: run.controller.signal,
        onEvent: (e) => {
          run.record(e)
          notify((o) => o.onEvent?.(run, e))
        },
        trace: trace ?? false,
      })
      run.finish({ result })
    } catch (err) {
      // Rejected before it started: a context that cannot be loaded, an unpriced cost budget, ...
      run.finish({
        error: isRlmError(err)
          ? { code: err.code, message: err.message }
          : { code: 'E_INTERNAL', message: String((err as Error)?.message ?? err) },
      })
    } finally {
      running--
      if (run.startedAt !== undefined) meanRunMs = 0.7 * meanRunMs + 0.3 * (Date.now() - run.startedAt)
      retire(run)
      next()
    }
  }

  const next = (): void => {
    while (running < maxConcurrent && queue.length > 0) {
      const run = queue.shift() as ManagedRun
      const request = requests.get(run)
      if (request) void start(run, request)
    }
  }

  const cancelQueued = (run: ManagedRun): void => {
    const i = queue.indexOf(run)
    if (i === -1) return
    queue.splice(i, 1)
    run.finish({ error: { code: 'E_ABORTED', message: 'cancelled while queued' } })
    retire(run)
  }

  const submit: RunManager['submit'] = (request, submitOptions = {}) => {
    if (!accepting)
      throw new ApiError(
        503,
        'E_SHUTTING_DOWN',
        'The server is shutting down and takes no new runs; retry on another instance.',
      )
    const key = submitOptions.idempotencyKey
    const known = key === undefined ? undefined : byKey.get(key)
    if (known) {
      if (known.fingerprint !== submitOptions.fingerprint) {
        throw new ApiError(
          409,
          'E_CONFLICT',
          'This Idempotency-Key was already used for a different request; send a new key for a new request.',
          { headers: { 'x-should-retry': 'false' } },
        )
      }
      return { run: known.run, reused: true }
    }
    if (running >= maxConcurrent && queue.length >= maxQueue) {
      notify((o) => o.onReject?.())
      throw new ApiError(
        429,
        'E_CAPACITY',
        `The server is at capacity (${running} runs running, ${queue.length} queued; --max-concurrent-runs ${maxConcurrent}, --max-queue ${maxQueue}); retry after the time in Retry-After.`,
        { headers: retryHeaders(retryAfterMs()) },
      )
    }
    const run = new ManagedRun(request)
    runs.set(run.id, run)
    requests.set(run, request)
    if (key !== undefined) byKey.set(key, { run, fingerprint: submitOptions.fingerprint })
    run.controller.signal.addEventListener('abort', () => cancelQueued(run), { once: true })
    queue.push(run)
    next()
    return { run, reused: false }
  }

  return {
    submit,
    get: (id) => runs.get(id),
    list: () => [...runs.values()].reverse(),
    get running() {
      return running
    },
    get queued() {
      return queue.length
    },
    get accepting() {
      return accepting
    },
    async shutdown(graceMs) {
      accepting = false
      for (const run of [...queue]) run.cancel('shutdown')
      const live = [...runs.values()].filter((r) => !r.ended)
      const all = Promise.all(live.map((r) => r.done))
      let timer: NodeJS.Timeout | undefined
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs)
      })
      await Promise.race([all, grace])
      clearTimeout(timer)
      for (const run of live) run.cancel('shutdown')
      await all
    },
  }
}
