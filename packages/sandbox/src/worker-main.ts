/// <reference path="./wasm-globals.d.ts" />
// The worker proper (worker.ts loads it): owns one QuickJS instance and one guest session, and
// speaks protocol.ts with the host. The host terminates this thread when a run overstays its deadline.
import { MessageChannel, parentPort } from 'node:worker_threads'
import { encodeStringBjson } from './bjson-string.ts'
import { GuestSession } from './guest-session.ts'
import { chargeGrowth, type GrowthCharges } from './memory-growth.ts'
import type { HostToWorker, WorkerToHost } from './protocol.ts'
import { instantiateQuickJS, type QuickJSInstance } from './quickjs-instance.ts'

const port = parentPort
if (!port) throw new Error('worker-main.ts must run in a worker thread')

const INSTALL_BUDGET_MS = 30_000
const BUDGET_FULL =
  'the memory budget shared with other sandboxes has no room for the heap this sandbox needs; dispose of sandboxes that are done, or raise the budget'
const BUDGET_FULL_IN_RUN =
  'The memory shared by all sandboxes of this run is in use by others, so this heap could not grow even below its own cap: keep less data in variables, work on slices, or let other work finish first.'

let wasmModule: WebAssembly.Module | undefined
let warm: Promise<QuickJSInstance> | undefined
let session: GuestSession | undefined
/** Set when this worker's heap is charged to a shared memory budget. */
let charges: GrowthCharges | undefined
let queue: Promise<void> = Promise.resolve()

function post(message: WorkerToHost): void {
  port?.postMessage(message)
}

async function handle(message: HostToWorker): Promise<void> {
  switch (message.type) {
    case 'warm':
      wasmModule = message.wasmModule
      warm = instantiateQuickJS(message.wasmModule, message.memoryPages).then((instance) =>
        message.warmUp
          ? warmUp(instance).catch(() => instantiateQuickJS(message.wasmModule, message.memoryPages))
          : instance,
      )
      if (message.warmUp) await warm.then(() => post({ type: 'warmed' }))
      return
    case 'init': {
      if (!wasmModule || !warm) throw new Error('init before warm')
      // A recycled worker's fresh instance failed (no memory then): one more try, for this sandbox.
      let instance = await warm.catch(() =>
        instantiateQuickJS(wasmModule as WebAssembly.Module, message.limits.memoryPages),
      )
      if (instance.pages !== message.limits.memoryPages) {
        instance = await instantiateQuickJS(wasmModule, message.limits.memoryPages)
      }
      if (message.memoryBudget) {
        charges = chargeGrowth(instance.memory, message.memoryBudget) ?? undefined
        if (!charges) {
          post({ type: 'init-failed', code: 'E_MEMORY', budget: true, message: BUDGET_FULL })
          return
        }
      }
      session = new GuestSession(instance, message, {
        postCall: post,
        postOutput: (chunk) => post({ type: 'output', chunk }),
      })
      const failure = await session.install(Date.now() + INSTALL_BUDGET_MS)
      if (failure) {
        const code = failure.error?.code === 'E_MEMORY' ? 'E_MEMORY' : 'E_RUNTIME'
        const budget = code === 'E_MEMORY' && (charges?.refusals ?? 0) > 0
        const text = budget ? BUDGET_FULL : (failure.error?.message ?? 'prelude failed')
        post({ type: 'init-failed', code, message: text, ...(budget && { budget }) })
      } else {
        post({ type: 'ready' })
      }
      return
    }
    case 'recycle': {
      if (!wasmModule) throw new Error('recycle before warm')
      const old = session
      session = undefined
      charges = undefined
      try {
        old?.dispose()
      } catch {
        // QuickJS aborted freeing the old guest: its whole instance is dropped below anyway.
      }
      // A new instance: nothing of the old guest (heap, globals, prelude state) can reach the next
      // one. Made after the answer, so the disposing host does not wait for it; init awaits it.
      post({ type: 'recycled' })
      warm = instantiateQuickJS(wasmModule, message.memoryPages)
      await warm.catch(() => {}) // retried by the next init
      return
    }
    case 'run': {
      if (!session) throw new Error('run before init')
      const refusedBefore = charges?.refusals ?? 0
      const result = await session.run(message)
      if (result.error?.code === 'E_MEMORY' && (charges?.refusals ?? 0) > refusedBefore) {
        result.error.message += ` ${BUDGET_FULL_IN_RUN}`
      }
      if (result.error?.code === 'E_MEMORY' && session.heapStillFull()) {
        result.error.message +=
          ' Data kept from this run still filled the heap, so the sandbox was reset: variables from earlier runs are gone.'
        post({ type: 'done', id: message.id, result, broken: true })
        return
      }
      post({ type: 'done', id: message.id, result })
      return
    }
  }
}

const warmUpCells = [
  'let a = [1, 2, 3].map((x) => x * 2); a.length',
  'const o = { a, s: warm.slice(0, 2) }; print("x", o); o',
  'await Promise.resolve(1)',
  'try { null.x } catch (e) { e.message }',
  'throw new Error("warm")',
]

/**
 * Runs a throwaway session in a spare worker so V8 has compiled the glue and parser paths before a
 * sandbox claims it: the claimed worker then installs and runs its first cell in a few milliseconds.
 */
async function warmUp(instance: QuickJSInstance): Promise<QuickJSInstance> {
  const { port1, port2 } = new MessageChannel()
  const scratch = new GuestSession(
    instance,
    {
      type: 'init',
      limits: {
        memoryPages: instance.pages,
        stackSizeBytes: 256 * 1024,
        outputLimitBytes: 1000,
        valueLimitBytes: 1000,
        maxPendingCalls: 10,
        maxCallBytesInFlight: 1000,
      },
      globals: [
        { name: 'warm', kind: 'string', bytes: encodeStringBjson('warm', (n) => new SharedArrayBuffer(n)) },
      ],
      functions: [],
      prelude: 'var preludeWarm = 1',
      streamOutput: false,
      syncSignal: new SharedArrayBuffer(8),
      syncPort: port2,
    },
    { postCall: () => {}, postOutput: () => {} },
  )
  try {
    await scratch.install(Date.now() + INSTALL_BUDGET_MS)
    let id = 1
    for (const code of warmUpCells) {
      await scratch.run({ type: 'run', id: id++, code, deadline: Date.now() + 1000, timeoutMs: 1000 })
    }
  } finally {
    scratch.dispose()
    port1.close()
  }
  return instance
}

port.on('message', (message: HostToWorker) => {
  queue = queue
    .then(() => handle(message))
    .catch((error: unknown) => {
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
      if (message.type === 'run') {
        post({
          type: 'done',
          id: message.id,
          broken: true,
          result: { ok: false, output: '', error: { code: 'E_SANDBOX_INTERNAL', message: text } },
        })
      } else {
        post({ type: 'init-failed', code: 'E_SANDBOX_INTERNAL', message: text })
      }
    })
})
