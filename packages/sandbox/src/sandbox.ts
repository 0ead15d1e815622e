// The host side of a sandbox: owns one worker, runs cells one at a time, answers host-function
// calls, enforces the deadline by terminating the worker, and replaces it after a kill or crash.
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads'
import { RlmError } from '@rlm/errors'
import { encodeStringBjson } from './bjson-string.ts'
import { findNonJsonLike } from './json-like.ts'
import { closeAccount, type LedgerBuffers } from './memory-ledger.ts'
import { memoryPagesFor } from './memory-pages.ts'
import type { HostFunction, ResolvedOptions } from './options.ts'
import type {
  CallMessage,
  CallResultMessage,
  EncodedGlobal,
  InitMessage,
  WorkerLimits,
  WorkerOutcome,
  WorkerToHost,
} from './protocol.ts'
import type { RunResult, SandboxError } from './run-result.ts'
import { hostErrorCode, hostErrorMessage } from './sanitize-message.ts'
import { acquireWorker, adoptWorker, replenishSpare, wantsWorker } from './worker-pool.ts'

/** How long after the deadline the host waits for the worker's own interrupt before killing it. */
const KILL_GRACE_MS = 40
/** How long a disposed sandbox's worker has to drop its guest before it is terminated instead. */
const RECYCLE_GRACE_MS = 5000

/** Per-run settings. */
export interface RunOptions {
  /** A shorter wall-time limit for this run only (e.g. what is left of a caller's budget). */
  timeoutMs?: number
}

export interface Sandbox {
  /** Runs one cell. Never rejects for anything the guest does. */
  run(code: string, options?: RunOptions): Promise<RunResult>
  /** Stops the worker. Never throws; later runs return E_DISPOSED. */
  dispose(): Promise<void>
  /** Same as dispose, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>
}

interface ActiveRun {
  id: number
  /** Output streamed so far: the only output left when the worker has to be killed. */
  streamed: string
  finish: (outcome: WorkerOutcome, reset?: boolean) => void
}

interface Connection {
  worker: Worker
  syncPort: MessagePort
  syncSignal: Int32Array
  ready: Promise<void>
  /** Installed and not judged broken since: the worker may serve another sandbox after this one. */
  healthy: boolean
  alive: boolean
  /** This worker's account in the shared memory budget, if the sandbox has one. */
  account: LedgerBuffers | undefined
  /** Death listeners, taken off when the worker goes back to the pool. */
  listeners: Array<{ event: 'error' | 'exit'; fn: Parameters<Worker['off']>[1] }>
}

/** Settles a connection's `ready` promise, from the worker's first message or its death. */
type ReadySettler = Pick<PromiseWithResolvers<void>, 'resolve' | 'reject'>

/** Sandboxes created and not yet disposed, in this process. */
let liveSandboxes = 0

export function liveSandboxCount(): number {
  return liveSandboxes
}

export function encodeGlobals(globals: Record<string, unknown>): { encoded: EncodedGlobal[]; bytes: number } {
  const encoded: EncodedGlobal[] = []
  let bytes = 0
  for (const [name, value] of Object.entries(globals)) {
    if (value === undefined) continue
    const kind = typeof value === 'string' ? 'string' : 'json'
    const text = typeof value === 'string' ? value : JSON.stringify(value)
    const buffer = encodeStringBjson(text, (n) => new SharedArrayBuffer(n))
    bytes += buffer.byteLength
    encoded.push({ name, kind, bytes: buffer })
  }
  return { encoded, bytes }
}

export class HostSandbox implements Sandbox {
  private readonly options: ResolvedOptions
  private readonly globals: EncodedGlobal[]
  private readonly limits: WorkerLimits
  private connection: Connection | undefined
  private active: ActiveRun | undefined
  private queue: Promise<unknown> = Promise.resolve()
  private nextRunId = 1
  private disposed = false
  /** Workers being terminated: dispose waits for them, so their memory is refunded when it resolves. */
  private readonly stopping = new Set<Promise<void>>()

  constructor(options: ResolvedOptions) {
    liveSandboxes++
    this.options = options
    const { encoded, bytes } = encodeGlobals(options.globals)
    this.globals = encoded
    this.limits = {
      memoryPages: memoryPagesFor(options.memoryLimitBytes, bytes),
      stackSizeBytes: options.stackSizeBytes,
      outputLimitBytes: options.outputLimit,
      valueLimitBytes: options.valueLimit,
      maxPendingCalls: options.maxPendingCalls,
      maxCallBytesInFlight: options.maxCallBytesInFlight,
    }
  }

  /** Starts the first worker; rejects with an RlmError when globals or the prelude fail. */
  async start(): Promise<void> {
    const connection = await this.connect()
    await connection.ready
  }

  run(code: string, options?: RunOptions): Promise<RunResult> {
    const limit = options?.timeoutMs
    const timeoutMs =
      typeof limit === 'number' && Number.isFinite(limit)
        ? Math.max(1, Math.min(Math.floor(limit), this.options.timeoutMs))
        : this.options.timeoutMs
    const next = this.queue.then(() => this.runNow(String(code), timeoutMs))
    this.queue = next.catch(() => {})
    return next
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    liveSandboxes--
    const busy = this.active !== undefined
    this.active?.finish({ ok: false, output: '', error: disposedError() })
    // An idle, healthy worker goes back to the pool with a fresh guest; a busy one is killed.
    void (busy ? this.drop() : this.recycle())
    await Promise.all(this.stopping)
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose()
  }

  private async runNow(code: string, timeoutMs: number): Promise<RunResult> {
    const started = performance.now()
    const finish = (outcome: WorkerOutcome, reset?: boolean): RunResult =>
      toRunResult(outcome, performance.now() - started, reset)
    if (this.disposed) return finish({ ok: false, output: '', error: disposedError() })
    let connection: Connection
    try {
      connection = this.connection?.alive ? this.connection : await this.connect()
      await connection.ready
    } catch (error) {
      void this.drop()
      const memory = (error as { code?: unknown })?.code === 'E_MEMORY'
      const message = `The sandbox could not restart: ${(error as Error).message}`
      const code = memory ? 'E_MEMORY' : 'E_SANDBOX_INTERNAL'
      return finish({ ok: false, output: '', error: { code, message, reset: true } }, true)
    }
    if (this.disposed) return finish({ ok: false, output: '', error: disposedError() })
    const id = this.nextRunId++
    const deadline = Date.now() + timeoutMs
    return new Promise<RunResult>((resolve) => {
      const timer = setTimeout(() => {
        // The worker did not stop by itself (a builtin that never checks interrupts): kill it.
        void this.drop()
        run.finish(
          {
            ok: false,
            output: run.streamed,
            error: {
              code: 'E_TIMEOUT',
              message: `The program ran past its ${timeoutMs} ms limit inside an operation that cannot be interrupted, so the sandbox was reset: variables from earlier runs are gone (globals, functions and prelude are installed again).`,
              reset: true,
            },
          },
          true,
        )
      }, timeoutMs + KILL_GRACE_MS)
      const run: ActiveRun = {
        id,
        streamed: '',
        finish: (outcome, reset) => {
          if (this.active !== run) return
          this.active = undefined
          clearTimeout(timer)
          resolve(finish(outcome, reset))
        },
      }
      this.active = run
      connection.worker.postMessage({ type: 'run', id, code, deadline, timeoutMs })
    })
  }

  /**
   * Terminates the current worker (if any); the next run starts a fresh one. Its share of the
   * memory budget is given back once the thread has stopped (so the budget never undercounts).
   */
  private drop(): Promise<void> {
    const connection = this.connection
    this.connection = undefined
    if (!connection) return Promise.resolve()
    connection.alive = false
    connection.syncPort.close()
    connection.worker.removeAllListeners('message')
    const stopped = connection.worker
      .terminate()
      .catch(() => {})
      .then(() => {
        if (connection.account) closeAccount(connection.account)
        this.stopping.delete(stopped)
      })
    this.stopping.add(stopped)
    return stopped
  }

  /**
   * Gives the worker back to the pool: it frees its guest and makes a fresh QuickJS instance, and
   * the memory budget is refunded once it confirmed. Falls back to `drop` for a worker the pool
   * does not want, one that is not healthy, or one that does not answer in time.
   */
  private recycle(): Promise<void> {
    const connection = this.connection
    if (!connection?.healthy || !connection.alive || !wantsWorker(connection.worker)) return this.drop()
    this.connection = undefined
    connection.alive = false
    connection.syncPort.close()
    const { worker } = connection
    worker.removeAllListeners('message')
    const done = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => finish(false), RECYCLE_GRACE_MS)
      const onMessage = (message: WorkerToHost): void => finish(message.type === 'recycled')
      const onExit = (): void => finish(false)
      const finish = (ok: boolean): void => {
        clearTimeout(timer)
        worker.off('message', onMessage)
        worker.off('exit', onExit)
        resolve(ok)
      }
      worker.on('message', onMessage)
      worker.once('exit', onExit)
    })
    worker.postMessage({ type: 'recycle', memoryPages: this.limits.memoryPages })
    const stopped = done.then(async (ok) => {
      for (const listener of connection.listeners) worker.off(listener.event, listener.fn)
      if (connection.account) closeAccount(connection.account)
      if (!ok || !(await adoptWorker(worker, this.limits.memoryPages)))
        await worker.terminate().catch(() => {})
      this.stopping.delete(stopped)
    })
    this.stopping.add(stopped)
    return stopped
  }

  private async connect(): Promise<Connection> {
    void this.drop()
    // Throws E_MEMORY when the shared budget cannot hold a new heap: before any worker is taken.
    const account = this.options.memoryBudget?.open()
    let worker: Worker
    try {
      worker = await acquireWorker(this.limits.memoryPages, liveSandboxes > 1)
    } catch (error) {
      if (account) closeAccount(account)
      throw error
    }
    const channel = new MessageChannel()
    const signalBuffer = new SharedArrayBuffer(8)
    const ready = Promise.withResolvers<void>()
    const connection: Connection = {
      worker,
      syncPort: channel.port1,
      syncSignal: new Int32Array(signalBuffer),
      alive: true,
      healthy: false,
      listeners: [],
      account,
      ready: ready.promise,
    }
    connection.ready.catch(() => {})
    this.connection = connection
    worker.on('message', (message: WorkerToHost) => this.onWorkerMessage(connection, ready, message))
    this.watchForDeath(connection, ready)
    worker.postMessage(this.initMessage(signalBuffer, channel.port2, account), [channel.port2])
    return connection
  }

  private onWorkerMessage(connection: Connection, ready: ReadySettler, message: WorkerToHost): void {
    if (!connection.alive) return
    switch (message.type) {
      case 'ready':
        connection.healthy = true
        ready.resolve()
        replenishSpare(this.limits.memoryPages)
        return
      case 'init-failed':
        ready.reject(
          // The budget's refusal is E_MEMORY, like a create the budget refused up front.
          new RlmError(
            message.budget ? 'E_MEMORY' : 'E_SANDBOX_INIT',
            `The sandbox could not start: ${message.message}`,
            {
              details: { code: message.code },
            },
          ),
        )
        void this.drop()
        return
      case 'call':
        this.handleCall(connection, message)
        return
      case 'output':
        if (this.active) this.active.streamed += message.chunk
        this.emitOutput(message.chunk)
        return
      case 'done':
        if (this.active?.id !== message.id) return
        if (message.broken) connection.healthy = false
        if (message.broken) void this.drop()
        this.active.finish(message.result, message.broken)
    }
  }

  /** A worker that errors or exits resets the sandbox: a run in progress ends with what it printed. */
  private watchForDeath(connection: Connection, ready: ReadySettler): void {
    const onDeath = (reason: string, memory: boolean): void => {
      if (!connection.alive) return
      void this.drop()
      ready.reject(new RlmError('E_SANDBOX_INIT', `The sandbox worker stopped: ${reason}`))
      const code = memory ? 'E_MEMORY' : 'E_SANDBOX_INTERNAL'
      const message = memory
        ? 'The program exhausted the sandbox memory and the sandbox was reset: variables from earlier runs are gone.'
        : `The sandbox worker stopped (${reason}) and was reset: variables from earlier runs are gone.`
      const output = this.active?.streamed ?? ''
      this.active?.finish({ ok: false, output, error: { code, message, reset: true } }, true)
    }
    const onError = (error: Error & { code?: string }): void => {
      onDeath(error.code ?? error.name, error.code === 'ERR_WORKER_OUT_OF_MEMORY')
    }
    const onExit = (exitCode: number): void => onDeath(`exit code ${exitCode}`, false)
    connection.worker.on('error', onError)
    connection.worker.on('exit', onExit)
    connection.listeners.push({ event: 'error', fn: onError }, { event: 'exit', fn: onExit })
  }

  private initMessage(
    signalBuffer: SharedArrayBuffer,
    syncPort: MessagePort,
    account: LedgerBuffers | undefined,
  ): InitMessage {
    return {
      type: 'init',
      limits: this.limits,
      globals: this.globals,
      functions: Object.entries(this.options.functions).map(([name, entry]) => ({
        name,
        sync: typeof entry !== 'function',
      })),
      prelude: this.options.prelude,
      determinism: { seed: this.options.seed, clockStartMs: this.options.clockStartMs },
      streamOutput: true,
      syncSignal: signalBuffer,
      syncPort,
      memoryBudget: account,
    }
  }

  private emitOutput(chunk: string): void {
    try {
      this.options.onOutput?.(chunk)
    } catch {
      // A failing progress callback must not break the run.
    }
  }

  private handleCall(connection: Connection, message: CallMessage): void {
    const answer = (result: Omit<CallResultMessage, 'type' | 'callId'>): void => {
      if (!connection.alive) return
      const reply: CallResultMessage = { type: 'call-result', callId: message.callId, ...result }
      connection.syncPort.postMessage(reply)
      if (message.sync) {
        Atomics.store(connection.syncSignal, 0, message.callId)
        Atomics.notify(connection.syncSignal, 0)
      } else {
        Atomics.add(connection.syncSignal, 1, 1)
        Atomics.notify(connection.syncSignal, 1)
      }
    }
    const fail = (error: unknown): void => {
      const code = hostErrorCode(error)
      answer(
        code
          ? { ok: false, message: hostErrorMessage(error), code }
          : { ok: false, message: hostErrorMessage(error) },
      )
    }
    const entry = this.options.functions[message.name]
    const fn: HostFunction | undefined = typeof entry === 'function' ? entry : entry?.fn
    let args: unknown
    try {
      args = JSON.parse(message.args)
    } catch {
      args = undefined
    }
    if (!fn || !Array.isArray(args)) {
      answer({ ok: false, message: `${message.name}(): the call could not be decoded` })
      return
    }
    let result: unknown
    try {
      result = fn(...args)
    } catch (error) {
      fail(error)
      return
    }
    const deliver = (value: unknown): void => {
      const problem = findNonJsonLike(value, `${message.name}() result`)
      if (problem) answer({ ok: false, message: `${problem}; host functions must return JSON-like data` })
      else if (value !== null && typeof value === 'object') answer({ ok: true, json: JSON.stringify(value) })
      else answer({ ok: true, value: value as string | number | boolean | null | undefined })
    }
    if (
      result !== null &&
      typeof result === 'object' &&
      typeof (result as PromiseLike<unknown>).then === 'function'
    ) {
      Promise.resolve(result).then(deliver, fail)
    } else {
      deliver(result)
    }
  }
}

function disposedError(): SandboxError {
  return { code: 'E_DISPOSED', message: 'The sandbox was disposed; create a new one to run more code.' }
}

function toRunResult(outcome: WorkerOutcome, durationMs: number, reset?: boolean): RunResult {
  const base = reset
    ? { output: outcome.output, durationMs, reset: true }
    : { output: outcome.output, durationMs }
  if (!outcome.ok) {
    const error = outcome.error ?? { code: 'E_SANDBOX_INTERNAL' as const, message: 'unknown failure' }
    return { ok: false, ...base, error: reset ? { ...error, reset: true } : error }
  }
  if (outcome.valueJson === undefined) {
    return outcome.valueError ? { ok: true, ...base, valueError: outcome.valueError } : { ok: true, ...base }
  }
  try {
    return { ok: true, ...base, value: JSON.parse(outcome.valueJson) as unknown }
  } catch {
    return { ok: true, ...base, valueError: 'the completion value could not be decoded' }
  }
}
