// One run the server holds: its status, its events (numbered 1, 2, ... like the lines of its trace),
// the watchers subscribed to them, its tree so far and its result. A finished run whose events are
// in its trace file drops them from memory and reads them back from the file when asked.

import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { RlmEvent, RlmResult } from '@rlm/engine'
import { RlmError } from '@rlm/errors'
import { TreeFold } from './run-tree.ts'

/** What a finished run keeps of the engine's result: the full tree is in the trace. */
export type RunResult = Omit<RlmResult, 'tree' | 'contextAccess'>

export type ManagedStatus = 'queued' | 'running' | 'final' | 'budget_exhausted' | 'error' | 'cancelled'

/** Why a run was cancelled. */
export type CancelReason = 'request' | 'disconnect' | 'shutdown'

const CANCEL_MESSAGES: Record<CancelReason, string> = {
  request: 'The run was cancelled by a DELETE /v1/runs/:id request.',
  disconnect:
    'The run was cancelled because its client disconnected (send rlm: { detach: true } to keep it running).',
  shutdown: 'The run was cancelled because the server shut down before it finished.',
}

/**
 * Receives a run's events. `seq` is the event's number (its line in the trace); live cell output,
 * which the trace does not keep, has none. `end` is called once, after the last event.
 */
export interface RunSubscriber {
  event(seq: number | undefined, event: RlmEvent): void
  end(): void
}

export interface RunDescription {
  kind: 'chat' | 'run'
  /** The model name the client asked for ("rlm", "rlm:<id>"). */
  model: string
  query: string
}

export class ManagedRun {
  readonly id = `run_${randomBytes(12).toString('hex')}`
  readonly kind: 'chat' | 'run'
  readonly model: string
  readonly query: string
  readonly createdAt = Date.now()
  readonly tree = new TreeFold()
  readonly controller = new AbortController()
  status: ManagedStatus = 'queued'
  startedAt: number | undefined
  endedAt: number | undefined
  /** The engine's result without its tree and context reads (the tree summary is `tree`). */
  result: RunResult | undefined
  error: { code: string; message: string } | undefined
  cancelReason: CancelReason | undefined
  tracePath: string | undefined
  #events: RlmEvent[] | undefined = []
  #eventCount = 0
  #clients = 0
  readonly #subscribers = new Set<RunSubscriber>()
  readonly #done = Promise.withResolvers<void>()

  constructor(description: RunDescription) {
    this.kind = description.kind
    this.model = description.model
    this.query = description.query
  }

  get ended(): boolean {
    return this.endedAt !== undefined
  }

  /** Resolves when the run has ended (whatever the status). */
  get done(): Promise<void> {
    return this.#done.promise
  }

  /** Events numbered so far (live cell output not counted). */
  get eventCount(): number {
    return this.#eventCount
  }

  /** Called with each event of the engine, in order. */
  record(event: RlmEvent): void {
    let seq: number | undefined
    if (event.type !== 'cell_output') {
      seq = ++this.#eventCount
      this.#events?.push(event)
      this.tree.add(event)
    }
    for (const s of this.#subscribers) {
      try {
        s.event(seq, event)
      } catch {
        // a failing watcher never disturbs the run or the other watchers
      }
    }
  }

  /** Numbered events this run holds in memory (0 once they are in its trace file, or dropped). */
  get eventsInMemory(): number {
    return this.#events?.length ?? 0
  }

  /** Forgets the events held in memory (a finished run without a trace file: its stream is then empty). */
  dropEvents(): void {
    if (this.ended) this.#events = this.tracePath ? undefined : []
  }

  /** The numbered events after `after`, from memory or, once dropped, from the trace file. */
  eventsAfter(after: number): Array<[number, RlmEvent]> {
    const out: Array<[number, RlmEvent]> = []
    const events = this.#events ?? this.#readTrace()
    for (let i = Math.max(0, after); i < events.length; i++) out.push([i + 1, events[i] as RlmEvent])
    return out
  }

  #readTrace(): RlmEvent[] {
    if (!this.tracePath) return []
    try {
      return readFileSync(this.tracePath, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as RlmEvent)
    } catch {
      return []
    }
  }

  /**
   * Replays the events after `after` to the subscriber, then streams the live ones; for an ended
   * run, calls `end` right after the replay. Returns the unsubscribe function.
   */
  subscribe(after: number, subscriber: RunSubscriber): () => void {
    for (const [seq, e] of this.eventsAfter(after)) subscriber.event(seq, e)
    if (this.ended) {
      subscriber.end()
      return () => {}
    }
    // A resume point ahead of the run (a stale or made-up Last-Event-ID) skips up to it, live too.
    const live: RunSubscriber = {
      event: (seq, e) => {
        if (seq === undefined || seq > after) subscriber.event(seq, e)
      },
      end: () => subscriber.end(),
    }
    this.#subscribers.add(live)
    return () => this.#subscribers.delete(live)
  }

  /**
   * A client waits on this run over `signal`'s connection. When the last waiting client has gone,
   * the run is cancelled, at once or, for a client that may come back (an SDK retrying with the
   * same Idempotency-Key), after `graceMs` if none has.
   */
  holdFor(signal: AbortSignal, graceMs = 0): void {
    this.#clients++
    const release = (): void => {
      this.#clients--
      if (this.#clients > 0 || this.ended) return
      if (graceMs <= 0) {
        this.cancel('disconnect')
        return
      }
      setTimeout(() => {
        if (this.#clients === 0) this.cancel('disconnect')
      }, graceMs).unref()
    }
    if (signal.aborted) release()
    else signal.addEventListener('abort', release, { once: true })
  }

  /** Cancels the run (and every call under it); false when it had already ended. */
  cancel(reason: CancelReason): boolean {
    if (this.ended) return false
    this.cancelReason ??= reason
    if (!this.controller.signal.aborted)
      this.controller.abort(new RlmError('E_ABORTED', CANCEL_MESSAGES[reason], { details: { reason } }))
    return true
  }

  markRunning(tracePath: string | undefined): void {
    this.status = 'running'
    this.startedAt = Date.now()
    this.tracePath = tracePath
  }

  /** Ends the run with the engine's result, or with the error that kept it from running. */
  finish(outcome: { result: RlmResult } | { error: { code: string; message: string } }): void {
    if (this.ended) return
    this.endedAt = Date.now()
    if ('result' in outcome) {
      const { tree: _tree, contextAccess: _reads, ...kept } = outcome.result
      this.result = kept
      this.error = kept.error
      this.status = kept.status
    } else {
      this.error = outcome.error
      this.status = 'error'
    }
    if (this.cancelReason && this.status === 'error') {
      this.status = 'cancelled'
      this.error = { code: 'E_ABORTED', message: CANCEL_MESSAGES[this.cancelReason] }
    }
    // The trace file holds every numbered event: memory keeps only the tree and the result.
    if (this.tracePath) this.#events = undefined
    for (const s of this.#subscribers) {
      try {
        s.end()
      } catch {
        // as above
      }
    }
    this.#subscribers.clear()
    this.#done.resolve()
  }
}
