// One guest context inside a worker: installs bootstrap, globals, host functions and the prelude,
// then runs cells with REPL semantics (top-level await, completion value) under a deadline.
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten-core'
import { checkCode, checkCodeMemo } from './check-code.ts'
import { classifyGuestError, type ErrorFacts } from './classify-guest-error.ts'
import { guestBootstrapSource } from './guest-bootstrap.ts'
import { CallBridge } from './guest-calls.ts'
import { guestDeterminismSource } from './guest-determinism.ts'
import { OutputBuffer } from './output-buffer.ts'
import type { CallMessage, InitMessage, RunMessage, WorkerOutcome } from './protocol.ts'
import { newValueFromBjson, type QuickJSInstance } from './quickjs-instance.ts'
import type { SandboxErrorCode } from './run-result.ts'

const JS_EVAL_FLAG_ASYNC = 1 << 7
const CELL_FILE = 'cell'
const OUTPUT_FLUSH_MS = 50

export interface SessionHooks {
  postCall: (message: CallMessage) => void
  postOutput: (chunk: string) => void
}

type Outcome = WorkerOutcome

export class GuestSession {
  private readonly instance: QuickJSInstance
  private readonly runtime: QuickJSRuntime
  private readonly context: QuickJSContext
  private readonly init: InitMessage
  private readonly hooks: SessionHooks
  private readonly output: OutputBuffer
  private readonly calls: CallBridge
  private helpers:
    | { toJson: QuickJSHandle; describeError: QuickJSHandle; parseJson: QuickJSHandle }
    | undefined
  private deadline = Number.POSITIVE_INFINITY
  private lastFlush = 0

  constructor(instance: QuickJSInstance, init: InitMessage, hooks: SessionHooks) {
    this.instance = instance
    this.init = init
    this.hooks = hooks
    this.runtime = instance.module.newRuntime()
    this.runtime.setMaxStackSize(init.limits.stackSizeBytes)
    this.runtime.setMemoryLimit(instance.pages * 65536)
    this.runtime.setInterruptHandler(() => Date.now() > this.deadline)
    this.context = this.runtime.newContext()
    this.output = new OutputBuffer(init.limits.outputLimitBytes)
    this.calls = new CallBridge({
      context: this.context,
      post: hooks.postCall,
      syncSignal: init.syncSignal,
      syncPort: init.syncPort,
      maxPendingCalls: init.limits.maxPendingCalls,
      maxCallBytesInFlight: init.limits.maxCallBytesInFlight,
      parseJson: () => this.requireHelpers().parseJson,
      deadline: () => this.deadline,
    })
  }

  /** Bootstrap, globals, functions, prelude. Returns an error message, or undefined when ready. */
  async install(deadline: number): Promise<Outcome | undefined> {
    const ctx = this.context
    this.deadline = deadline
    const syncNames = new Set(this.init.functions.filter((f) => f.sync).map((f) => f.name))
    const rawPrint = ctx.newFunction('print', (text, fullLength) => {
      if (ctx.typeof(text) !== 'string') return
      const length = ctx.typeof(fullLength) === 'number' ? ctx.getNumber(fullLength) : undefined
      this.output.appendLine(ctx.getString(text), length)
      this.maybeFlush()
    })
    const rawRoom = ctx.newFunction('room', () => ctx.newNumber(this.output.remaining))
    const rawCall = ctx.newFunction('call', (nameHandle, argsHandle) => {
      if (ctx.typeof(nameHandle) !== 'string' || ctx.typeof(argsHandle) !== 'string') {
        throw new TypeError('host call: bad arguments')
      }
      const name = ctx.getString(nameHandle)
      const args = ctx.getString(argsHandle)
      return syncNames.has(name) ? this.calls.callSync(name, args) : this.calls.callAsync(name, args)
    })
    const names = ctx.newArray()
    this.init.functions.forEach((f, i) => {
      ctx.newString(f.name).consume((h) => ctx.setProp(names, i, h))
    })
    try {
      const factory = ctx.unwrapResult(ctx.evalCode(guestBootstrapSource, 'bootstrap', { type: 'global' }))
      const helpers = ctx.unwrapResult(
        ctx.callFunction(factory, ctx.undefined, rawPrint, rawRoom, rawCall, names),
      )
      factory.dispose()
      this.helpers = {
        toJson: ctx.getProp(helpers, 'toJsonLenient'),
        describeError: ctx.getProp(helpers, 'describeError'),
        parseJson: ctx.getProp(helpers, 'parseJson'),
      }
      helpers.dispose()
    } finally {
      for (const h of [rawPrint, rawRoom, rawCall, names]) h.dispose()
    }
    this.installDeterminism()
    for (const global of this.init.globals) {
      const failure = this.installGlobal(global.name, global.kind, new Uint8Array(global.bytes))
      if (failure) return failure
    }
    if (this.init.prelude) {
      const prelude = { type: 'run', id: 0, code: this.init.prelude, deadline, timeoutMs: 0 } as const
      const outcome = await this.run(prelude, true)
      if (!outcome.ok) return outcome
    }
    return undefined
  }

  /** Seeded Math.random and the deterministic clock, before any guest code can capture the originals. */
  private installDeterminism(): void {
    const { seed, clockStartMs } = this.init.determinism ?? {}
    if (seed === undefined && clockStartMs === undefined) return
    const ctx = this.context
    const number = (n: number | undefined): QuickJSHandle =>
      n === undefined ? ctx.undefined : ctx.newNumber(n)
    const args = [
      number(seed === undefined ? undefined : seed % 2 ** 32),
      number(seed === undefined ? undefined : Math.floor(seed / 2 ** 32)),
      number(clockStartMs),
    ]
    try {
      const install = ctx.unwrapResult(
        ctx.evalCode(guestDeterminismSource, 'determinism', { type: 'global' }),
      )
      install.consume((fn) => ctx.unwrapResult(ctx.callFunction(fn, ctx.undefined, ...args)).dispose())
    } finally {
      for (const h of args) h.dispose()
    }
  }

  private installGlobal(name: string, kind: 'string' | 'json', bytes: Uint8Array): Outcome | undefined {
    const ctx = this.context
    let handle: QuickJSHandle
    try {
      handle = newValueFromBjson(ctx, bytes)
    } catch {
      return this.failure(
        'E_MEMORY',
        `global "${name}" does not fit in the guest heap; raise memoryLimitBytes`,
      )
    }
    if (kind === 'json') {
      const parsed = ctx.callFunction(this.requireHelpers().parseJson, ctx.undefined, handle)
      handle.dispose()
      if (parsed.error) {
        parsed.error.dispose()
        return this.failure(
          'E_MEMORY',
          `global "${name}" does not fit in the guest heap; raise memoryLimitBytes`,
        )
      }
      handle = parsed.value
    }
    ctx.setProp(ctx.global, name, handle)
    handle.dispose()
    return undefined
  }

  /**
   * After an out-of-memory failure: true when live guest data still fills most of the heap, so
   * later runs would fail too and the worker should be replaced.
   */
  heapStillFull(): boolean {
    try {
      const usage = this.runtime.computeMemoryUsage()
      const used = usage.consume((h) => this.context.dump(h) as { memory_used_size?: number })
      if ((used.memory_used_size ?? 0) > this.instance.pages * 65536 * 0.5) return true
      // The usage figure misses fragmentation and allocator state: only a real allocation tells
      // whether the next cell can run at all.
      return !this.canaryAllocates()
    } catch {
      return true
    }
  }

  /** Allocates a few thousand objects and a 1 MiB string in the guest; false when that fails. */
  private canaryAllocates(): boolean {
    this.deadline = Date.now() + 1000
    try {
      const result = this.context.evalCode(CANARY, 'canary.js')
      if (result.error) {
        result.error.dispose()
        return false
      }
      result.value.dispose()
      return true
    } finally {
      this.deadline = Number.POSITIVE_INFINITY
    }
  }

  /** Frees the context and runtime; throws if QuickJS aborts (then drop the whole instance). */
  dispose(): void {
    this.calls.abandonAll()
    if (this.helpers) for (const h of Object.values(this.helpers)) h.dispose()
    this.helpers = undefined
    this.context.dispose()
    this.runtime.dispose()
  }

  /**
   * Runs one cell to completion, failure or deadline. Never throws for guest behaviour. `repeated`:
   * code many sessions run (a prelude), whose check is memoised.
   */
  async run(message: RunMessage, repeated = false): Promise<Outcome> {
    this.output.reset()
    this.deadline = message.deadline
    this.calls.syncTimedOut = false
    this.lastFlush = Date.now()
    try {
      const checked = repeated ? checkCodeMemo(message.code) : checkCode(message.code)
      if (!checked.ok) return this.failure(checked.problem.code, checked.problem.message, checked.problem)
      const evaluated = this.context.evalCode(checked.code, CELL_FILE, JS_EVAL_FLAG_ASYNC)
      if (evaluated.error) return this.fromGuestError(evaluated.error, true)
      return await this.settle(evaluated.value)
    } finally {
      this.calls.abandonAll()
      this.deadline = Number.POSITIVE_INFINITY
      this.flush()
    }
  }

  private async settle(promise: QuickJSHandle): Promise<Outcome> {
    const ctx = this.context
    try {
      for (;;) {
        const jobs = this.runtime.executePendingJobs()
        if (jobs.error) return this.fromGuestError(jobs.error, false)
        const state = ctx.getPromiseState(promise)
        if (state.type === 'fulfilled') {
          if (state.notAPromise) return this.success(promise)
          const completion = ctx.getProp(state.value, 'value')
          state.value.dispose()
          return completion.consume((value) => this.success(value))
        }
        if (state.type === 'rejected') return this.fromGuestError(state.error, false)
        if (this.calls.syncTimedOut || Date.now() > this.deadline) return this.timeout()
        if (this.calls.pendingCount === 0 && !this.runtime.hasPendingJob()) {
          return this.failure(
            'E_TIMEOUT',
            'The program awaits a promise that nothing can settle (no host call is in flight), so it would never finish.',
          )
        }
        // Nothing to run until a host call answers: what was printed goes out now, so a watcher
        // sees it while the guest waits; then block for an answer (or the deadline).
        this.flush()
        this.calls.settleArrived(this.runtime.hasPendingJob() ? 0 : this.deadline - Date.now())
      }
    } finally {
      promise.dispose()
    }
  }

  private success(value: QuickJSHandle): Outcome {
    const ctx = this.context
    if (this.calls.syncTimedOut || Date.now() > this.deadline) return this.timeout()
    const maxLength = ctx.newNumber(this.init.limits.valueLimitBytes)
    const converted = ctx.callFunction(this.requireHelpers().toJson, ctx.undefined, value, maxLength)
    maxLength.dispose()
    if (converted.error) {
      const facts = this.errorFacts(converted.error)
      if (facts.interrupted || facts.outOfMemory) return this.fromFacts(facts, false)
      return { ok: true, output: this.output.text(), valueError: `${facts.name}: ${facts.message}` }
    }
    return converted.value.consume((h) => {
      const type = ctx.typeof(h)
      if (type === 'string') return { ok: true, output: this.output.text(), valueJson: ctx.getString(h) }
      if (type === 'number') {
        return this.failure(
          'E_OUTPUT_LIMIT',
          `The completion value is ${ctx.getNumber(h)} characters of JSON, over the ${this.init.limits.valueLimitBytes}-character limit; end the cell with a smaller value (a slice, a count, a summary).`,
        )
      }
      return { ok: true, output: this.output.text() }
    })
  }

  private fromGuestError(handle: QuickJSHandle, compile: boolean): Outcome {
    return this.fromFacts(this.errorFacts(handle), compile)
  }

  private errorFacts(handle: QuickJSHandle): ErrorFacts {
    const ctx = this.context
    const isNull = ctx.typeof(handle) === 'object' && ctx.eq(handle, ctx.null)
    const heapFull = this.instance.memory.buffer.byteLength >= this.instance.pages * 65536 * 0.9
    const facts: ErrorFacts = { name: 'Error', message: '', stack: '', isNull, heapFull }
    try {
      if (!isNull) {
        const described = ctx.callFunction(this.requireHelpers().describeError, ctx.undefined, handle)
        if (described.error) {
          described.error.dispose()
          facts.describeFailed = true
        } else {
          const text = described.value.consume((h) => (ctx.typeof(h) === 'string' ? ctx.getString(h) : '{}'))
          Object.assign(facts, pickErrorFields(JSON.parse(text)))
        }
      }
    } catch {
      facts.describeFailed = true
    } finally {
      handle.dispose()
    }
    facts.interrupted =
      this.calls.syncTimedOut ||
      Date.now() > this.deadline ||
      (facts.name === 'InternalError' && facts.message === 'interrupted')
    facts.outOfMemory = (facts.name === 'InternalError' && facts.message === 'out of memory') || false
    return facts
  }

  private fromFacts(facts: ErrorFacts, compile: boolean): Outcome {
    const error = classifyGuestError(facts, compile, this.init.limits, CELL_FILE)
    return { ok: false, output: this.output.text(), error }
  }

  private timeout(): Outcome {
    return this.fromFacts(
      { name: 'InternalError', message: 'interrupted', stack: '', interrupted: true },
      false,
    )
  }

  private failure(
    code: SandboxErrorCode,
    message: string,
    where?: { line: number; column: number },
  ): Outcome {
    const error = where ? { code, message, line: where.line, column: where.column } : { code, message }
    return { ok: false, output: this.output.text(), error }
  }

  private requireHelpers(): NonNullable<GuestSession['helpers']> {
    if (!this.helpers) throw new Error('guest bootstrap is not installed')
    return this.helpers
  }

  private maybeFlush(): void {
    if (!this.init.streamOutput) return
    const now = Date.now()
    if (now - this.lastFlush >= OUTPUT_FLUSH_MS) this.flush()
  }

  private flush(): void {
    this.lastFlush = Date.now()
    if (!this.init.streamOutput) return
    const chunk = this.output.takePending()
    if (chunk) this.hooks.postOutput(chunk)
  }
}

function pickErrorFields(raw: unknown): Partial<ErrorFacts> {
  if (!raw || typeof raw !== 'object') return {}
  const r = raw as Record<string, unknown>
  return {
    name: typeof r.name === 'string' ? r.name : 'Error',
    message: typeof r.message === 'string' ? r.message : '',
    stack: typeof r.stack === 'string' ? r.stack : '',
    isObject: r.isObject === true,
  }
}

const CANARY =
  '(() => { const a = []; for (let i = 0; i < 4096; i++) a.push({ i, s: "c" + i }); return "y".repeat(1 << 20).length + a.length })()'
