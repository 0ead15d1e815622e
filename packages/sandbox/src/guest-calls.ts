// Worker side of host functions: async calls become guest promises settled when the host answers;
// sync calls block this worker with Atomics.wait until the host answers or the run's deadline passes.
// Every answer comes over syncPort with a futex wake-up (Int32[0]: last sync call answered,
// Int32[1]: count of async answers): waking from Atomics.wait is far cheaper than a message event.
import { type MessagePort, receiveMessageOnPort } from 'node:worker_threads'
import type { QuickJSContext, QuickJSDeferredPromise, QuickJSHandle } from 'quickjs-emscripten-core'
import { encodeStringBjson } from './bjson-string.ts'
import type { CallMessage, CallResultMessage } from './protocol.ts'
import { newValueFromBjson } from './quickjs-instance.ts'

const BIG_STRING = 64 * 1024

interface PendingCall {
  deferred: QuickJSDeferredPromise
  bytes: number
}

export interface CallBridgeOptions {
  context: QuickJSContext
  post: (message: CallMessage) => void
  syncSignal: SharedArrayBuffer
  syncPort: MessagePort
  maxPendingCalls: number
  maxCallBytesInFlight: number
  /** Guest function that parses JSON text with the pristine JSON.parse. */
  parseJson: () => QuickJSHandle
  /** Absolute deadline of the current run. */
  deadline: () => number
}

export class CallBridge {
  private readonly options: CallBridgeOptions
  private readonly pending = new Map<number, PendingCall>()
  private readonly signal: Int32Array
  /** Async answers read off the port while a sync call waited for its own. */
  private backlog: CallResultMessage[] = []
  private nextId = 1
  private bytesInFlight = 0
  /** Set when a sync call ran out of time; the run must end as a timeout. */
  syncTimedOut = false

  constructor(options: CallBridgeOptions) {
    this.options = options
    this.signal = new Int32Array(options.syncSignal)
  }

  get pendingCount(): number {
    return this.pending.size
  }

  /** Starts an async call; returns the guest promise handle. */
  callAsync(name: string, args: string): QuickJSHandle {
    const { context, maxPendingCalls, maxCallBytesInFlight } = this.options
    if (this.pending.size >= maxPendingCalls) {
      throw new RangeError(
        `${name}(): ${maxPendingCalls} host calls are already in flight; await some of them before starting more`,
      )
    }
    if (this.bytesInFlight + args.length > maxCallBytesInFlight) {
      throw new RangeError(
        `${name}(): arguments of calls in flight would exceed ${maxCallBytesInFlight} characters; pass smaller arguments or await earlier calls`,
      )
    }
    const callId = this.nextId++
    const deferred = context.newPromise()
    this.pending.set(callId, { deferred, bytes: args.length })
    this.bytesInFlight += args.length
    this.options.post({ type: 'call', callId, name, args, sync: false })
    return deferred.handle
  }

  /** Settles the guest promise of an async call; unknown ids (abandoned calls) are ignored. */
  settle(message: CallResultMessage): void {
    const call = this.pending.get(message.callId)
    if (!call) return
    this.pending.delete(message.callId)
    this.bytesInFlight -= call.bytes
    const { context } = this.options
    try {
      if (message.ok) {
        const handle = this.toGuest(message)
        try {
          call.deferred.resolve(handle)
        } finally {
          handle.dispose()
        }
      } else {
        const error = this.hostError(message)
        try {
          call.deferred.reject(error)
        } finally {
          error.dispose()
        }
      }
    } catch (error) {
      // Resolving can run guest code (a thenable result) or run out of guest memory: reject instead.
      if (call.deferred.alive) {
        try {
          const fallback = context.newError({
            name: 'Error',
            message: String((error as Error)?.message ?? error),
          })
          call.deferred.reject(fallback)
          fallback.dispose()
        } catch {
          call.deferred.dispose()
        }
      }
    }
    if (call.deferred.alive) call.deferred.dispose()
  }

  /**
   * Settles every async answer that has arrived; if none has, blocks up to `ms` for one (the
   * worker has nothing else to do while its run awaits host calls). Returns how many settled.
   */
  settleArrived(ms: number): number {
    const seen = Atomics.load(this.signal, 1)
    let settled = this.drain()
    if (settled === 0 && ms > 0) {
      Atomics.wait(this.signal, 1, seen, ms)
      settled = this.drain()
    }
    return settled
  }

  private drain(): number {
    let settled = 0
    const backlog = this.backlog
    this.backlog = []
    for (const message of backlog) {
      this.settle(message)
      settled++
    }
    for (;;) {
      const received = receiveMessageOnPort(this.options.syncPort)
      if (!received) return settled
      this.settle(received.message as CallResultMessage)
      settled++
    }
  }

  /** Blocks until the host answers a sync call; returns the result as a guest value. */
  callSync(name: string, args: string): QuickJSHandle {
    const callId = this.nextId++
    this.options.post({ type: 'call', callId, name, args, sync: true })
    for (;;) {
      const answered = Atomics.load(this.signal, 0)
      if (answered === callId) break
      const remaining = this.options.deadline() - Date.now()
      if (remaining <= 0) {
        this.syncTimedOut = true
        throw new Error(`${name}(): the host did not answer before the run's deadline`)
      }
      Atomics.wait(this.signal, 0, answered, remaining)
    }
    for (;;) {
      const received = receiveMessageOnPort(this.options.syncPort)
      if (!received) throw new Error(`${name}(): the host answer was lost`)
      const message = received.message as CallResultMessage
      if (message.callId !== callId) {
        // An async answer (settled later, outside this host callback) or a late sync answer.
        if (this.pending.has(message.callId)) this.backlog.push(message)
        continue
      }
      // A guest handle thrown from a host callback is thrown into the guest as is (and freed).
      if (!message.ok) throw this.hostError(message)
      return this.toGuest(message)
    }
  }

  /** Forgets every call of the finished run: their guest promises stay pending for good. */
  abandonAll(): void {
    for (const call of this.pending.values()) if (call.deferred.alive) call.deferred.dispose()
    this.pending.clear()
    this.backlog = []
    this.bytesInFlight = 0
  }

  /** The guest Error for a failed host call: the sanitized message, and `code` when there is one. */
  private hostError(message: CallResultMessage): QuickJSHandle {
    const { context } = this.options
    const error = context.newError({ name: 'Error', message: message.message ?? 'host function failed' })
    if (message.code) context.newString(message.code).consume((h) => context.setProp(error, 'code', h))
    return error
  }

  /** A host result (a primitive, or JSON text the host produced) as a new guest value. */
  private toGuest(message: CallResultMessage): QuickJSHandle {
    const { context } = this.options
    const { value, json } = message
    if (json === undefined) {
      if (value === undefined) return context.undefined
      if (value === null) return context.null
      if (typeof value === 'boolean') return value ? context.true : context.false
      if (typeof value === 'number') return context.newNumber(value)
      return this.newString(value)
    }
    const text = this.newString(json)
    try {
      const parsed = context.callFunction(this.options.parseJson(), context.undefined, text)
      return context.unwrapResult(parsed)
    } finally {
      text.dispose()
    }
  }

  private newString(value: string): QuickJSHandle {
    // newString truncates at NUL (it goes through a C string) and is slow for big strings.
    if (value.length < BIG_STRING && !value.includes('\0')) return this.options.context.newString(value)
    const bytes = encodeStringBjson(value, (n) => new ArrayBuffer(n))
    return newValueFromBjson(this.options.context, new Uint8Array(bytes))
  }
}
