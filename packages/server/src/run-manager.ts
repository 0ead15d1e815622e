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
  return new RunQueue(options)
}

class RunQueue implements RunManager {
  readonly #maxConcurrent: number
  readonly #maxQueue: number
  readonly #keep: number
  readonly #maxEventsInMemory: number
  readonly #traceDir: string | false
  readonly #observers: RunObserver[]
  readonly #runs = new Map<string, ManagedRun>()
  readonly #requests = new Map<ManagedRun, RunRequest>()
  readonly #byKey = new Map<string, { run: ManagedRun; fingerprint: string | undefined }>()
  readonly #queue: ManagedRun[] = []
  readonly #finished: ManagedRun[] = []
  #running = 0
  #accepting = true
  // Mean run time (moving average): the wait suggested to a refused client is the time the queue
  // takes to drain at this pace, so retries arrive about when there is room again.
  #meanRunMs = 1_000
  // Numbered events held by finished runs without a trace file (bounded by maxEventsInMemory).
  #retainedEvents = 0

  constructor(options: RunManagerOptions) {
    this.#maxConcurrent = options.maxConcurrentRuns ?? RUN_MANAGER_DEFAULTS.maxConcurrentRuns
    this.#maxQueue = options.maxQueue ?? RUN_MANAGER_DEFAULTS.maxQueue
    this.#keep = options.keepFinishedRuns ?? RUN_MANAGER_DEFAULTS.keepFinishedRuns
    this.#maxEventsInMemory = options.maxEventsInMemory ?? RUN_MANAGER_DEFAULTS.maxEventsInMemory
    this.#traceDir = options.traceDir ?? false
    this.#observers = options.observers ?? []
  }

  get running(): number {
    return this.#running
  }

  get queued(): number {
    return this.#queue.length
  }

  get accepting(): boolean {
    return this.#accepting
  }

  get(id: string): ManagedRun | undefined {
    return this.#runs.get(id)
  }

  list(): ManagedRun[] {
    return [...this.#runs.values()].reverse()
  }

  submit(request: RunRequest, options: SubmitOptions = {}): { run: ManagedRun; reused: boolean } {
    if (!this.#accepting)
      throw new ApiError(
        503,
        'E_SHUTTING_DOWN',
        'The server is shutting down and takes no new runs; retry on another instance.',
      )
    const key = options.idempotencyKey
    const known = key === undefined ? undefined : this.#byKey.get(key)
    if (known) {
      if (known.fingerprint === options.fingerprint) return { run: known.run, reused: true }
      throw new ApiError(
        409,
        'E_CONFLICT',
        'This Idempotency-Key was already used for a different request; send a new key for a new request.',
        { headers: { 'x-should-retry': 'false' } },
      )
    }
    if (this.#running >= this.#maxConcurrent && this.#queue.length >= this.#maxQueue) throw this.#atCapacity()
    const run = new ManagedRun(request)
    this.#runs.set(run.id, run)
    this.#requests.set(run, request)
    if (key !== undefined) this.#byKey.set(key, { run, fingerprint: options.fingerprint })
    run.controller.signal.addEventListener('abort', () => this.#cancelQueued(run), { once: true })
    this.#queue.push(run)
    this.#next()
    return { run, reused: false }
  }

  async shutdown(graceMs: number): Promise<void> {
    this.#accepting = false
    for (const run of [...this.#queue]) run.cancel('shutdown')
    const live = [...this.#runs.values()].filter((r) => !r.ended)
    const all = Promise.all(live.map((r) => r.done))
    let timer: NodeJS.Timeout | undefined
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs)
    })
    await Promise.race([all, grace])
    clearTimeout(timer)
    for (const run of live) run.cancel('shutdown')
    await all
  }

  #notify(fn: (o: RunObserver) => void): void {
    for (const o of this.#observers) {
      try {
        fn(o)
      } catch {
        // metrics or tracing never break a run
      }
    }
  }

  #atCapacity(): ApiError {
    this.#notify((o) => o.onReject?.())
    const ms = Math.min(
      60_000,
      Math.max(100, (this.#meanRunMs * (this.#queue.length + 1)) / this.#maxConcurrent),
    )
    return new ApiError(
      429,
      'E_CAPACITY',
      `The server is at capacity (${this.#running} runs running, ${this.#queue.length} queued; --max-concurrent-runs ${this.#maxConcurrent}, --max-queue ${this.#maxQueue}); retry after the time in Retry-After.`,
      { headers: retryHeaders(ms) },
    )
  }

  #next(): void {
    while (this.#running < this.#maxConcurrent && this.#queue.length > 0) {
      const run = this.#queue.shift() as ManagedRun
      const request = this.#requests.get(run)
      if (request) void this.#start(run, request)
    }
  }

  async #start(run: ManagedRun, request: RunRequest): Promise<void> {
    this.#running++
    const trace = this.#traceDir ? join(this.#traceDir, traceFileName('serve')) : undefined
    run.markRunning(trace)
    this.#notify((o) => o.onStart?.(run))
    try {
      const context = await request.context()
      const result = await request.rlm.run({
        query: request.query,
        ...(context !== undefined && { context }),
        signal: run.controller.signal,
        onEvent: (e) => {
          run.record(e)
          this.#notify((o) => o.onEvent?.(run, e))
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
      this.#running--
      if (run.startedAt !== undefined)
        this.#meanRunMs = 0.7 * this.#meanRunMs + 0.3 * (Date.now() - run.startedAt)
      this.#retire(run)
      this.#next()
    }
  }

  #cancelQueued(run: ManagedRun): void {
    const i = this.#queue.indexOf(run)
    if (i === -1) return
    this.#queue.splice(i, 1)
    run.finish({ error: { code: 'E_ABORTED', message: 'cancelled while queued' } })
    this.#retire(run)
  }

  /** Keeps a finished run for GET; forgets the oldest past keepFinishedRuns, and their events past maxEventsInMemory. */
  #retire(run: ManagedRun): void {
    this.#requests.delete(run)
    this.#finished.push(run)
    this.#retainedEvents += run.eventsInMemory
    while (this.#finished.length > this.#keep) {
      const old = this.#finished.shift() as ManagedRun
      this.#retainedEvents -= old.eventsInMemory
      this.#runs.delete(old.id)
      for (const [key, entry] of this.#byKey) if (entry.run === old) this.#byKey.delete(key)
    }
    for (const old of this.#finished) {
      if (this.#retainedEvents <= this.#maxEventsInMemory) break
      this.#retainedEvents -= old.eventsInMemory
      old.dropEvents()
    }
    this.#notify((o) => o.onEnd?.(run))
  }
}
