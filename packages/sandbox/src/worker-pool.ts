/// <reference path="./wasm-globals.d.ts" />
// Compiles the QuickJS WebAssembly module once per process and keeps spare workers warm (module
// instantiated, glue exercised), so creating a sandbox costs a message round trip, not a thread start.
// A disposed sandbox's worker comes back as a spare (a fresh QuickJS instance in the same thread),
// so steady use boots no threads at all and runs on glue V8 has already optimised; the pool
// refills with new threads only when more sandboxes are live at once than it holds.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { WarmMessage, WorkerToHost } from './protocol.ts'
import { workerExecArgv } from './worker-exec-argv.ts'
import { compileCacheDir, workerUrl } from './worker-url.ts'

const require = createRequire(import.meta.url)

const defaultResourceLimits = { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 64, stackSizeMb: 16 }
let resourceLimits = defaultResourceLimits

interface Spare {
  worker: Worker
  pages: number
  /** Served a sandbox before: its glue is optimised, so it is the best pick. */
  recycled: boolean
  /** Settles when the throwaway session finished (or the spare died). */
  warmed: Promise<void>
  /** Resolves once its 'warm' message (the compiled QuickJS) is posted: an 'init' must follow it. */
  posted: Promise<void>
  isWarm: boolean
  detach: () => void
}

let compiled: Promise<WebAssembly.Module> | undefined
const spares: Spare[] = []
/** Spares to keep ready; 1 until prewarmSandbox says otherwise. */
let target = 1
/** Memory size (pages) of the most recent request: refills are made for it. */
let lastPages = 0
let refilling = false
/** A create found no spare while other sandboxes were live: refill once the cold one is ready. */
let refillWanted = false
/** Worker threads started and not yet exited (sandboxes' workers, spares, ones being terminated). */
let workersAlive = 0
/** Worker threads started since the process began. */
let workersStarted = 0
/** The V8 limits each worker was started with: one started under other limits is never reused. */
const startedWith = new WeakMap<Worker, typeof defaultResourceLimits>()

export function compiledQuickJS(): Promise<WebAssembly.Module> {
  if (!compiled) {
    const path = require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm')
    // Lazy compilation (V8's default) on purpose: an eager compile took 25 ms of main thread
    // and starved the worker boot running beside it; lazily compiled code is shared by all workers.
    compiled = readFile(path).then((bytes) => WebAssembly.compile(bytes))
    compiled.catch(() => {
      compiled = undefined
    })
  }
  return compiled
}

function startThread(execArgv: string[] | undefined): Worker {
  return new Worker(workerUrl(), {
    resourceLimits,
    ...(execArgv && { execArgv }),
    env: {},
    stdout: false,
    stderr: false,
    workerData: { compileCacheDir: compileCacheDir() },
  })
}

function newWorker(): Worker {
  const execArgv = workerExecArgv(process.execArgv)
  let worker: Worker
  try {
    worker = startThread(execArgv)
  } catch (error) {
    // Flags given explicitly are checked (inherited ones are not): V8 and per-process flags such
    // as --max-old-space-size are refused. The worker needs none of the host's flags.
    if ((error as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error
    worker = startThread([])
  }
  startedWith.set(worker, resourceLimits)
  workersAlive++
  workersStarted++
  worker.once('exit', () => {
    workersAlive--
  })
  worker.unref()
  // A spare that dies before it is used is simply dropped; a claimed one has its own listeners.
  worker.on('error', () => {})
  return worker
}

async function warm(worker: Worker, pages: number, warmUp: boolean): Promise<void> {
  const message: WarmMessage = {
    type: 'warm',
    wasmModule: await compiledQuickJS(),
    memoryPages: pages,
    warmUp,
  }
  worker.postMessage(message)
}

function spawnSpare(pages: number): Spare {
  const worker = newWorker()
  let settle = (): void => {}
  const spare: Spare = {
    worker,
    pages,
    recycled: false,
    isWarm: false,
    warmed: new Promise<void>((resolve) => {
      settle = resolve
    }),
    posted: warm(worker, pages, true),
    detach: () => {},
  }
  const remove = (): void => {
    const index = spares.indexOf(spare)
    if (index >= 0) spares.splice(index, 1)
    settle()
  }
  const onMessage = (message: WorkerToHost): void => {
    if (message.type === 'warmed') {
      spare.isWarm = true
      settle()
    } else if (message.type === 'init-failed') {
      remove()
      void worker.terminate().catch(() => {})
    }
  }
  worker.on('message', onMessage)
  worker.on('exit', remove)
  worker.unref() // a 'message' listener refs the worker's port again: spares never keep the host alive
  spare.detach = () => {
    worker.off('message', onMessage)
    worker.off('exit', remove)
    settle()
  }
  spare.posted.catch(() => {
    remove()
    void worker.terminate().catch(() => {})
  })
  spares.push(spare)
  return spare
}

/** Starts spares one at a time, in the background, until `target` are kept. */
function refill(): void {
  if (refilling || spares.length >= target || lastPages === 0) return
  refilling = true
  const timer = setImmediate(() => {
    const spare = spawnSpare(lastPages)
    void spare.warmed.then(() => {
      refilling = false
      refill()
    })
  })
  timer.unref()
}

/**
 * A worker with QuickJS loading or loaded; the caller owns it and must terminate it. Takes a spare
 * (warm ones first, then one of the right memory size) or starts a cold worker.
 */
export async function acquireWorker(pages: number, concurrent: boolean): Promise<Worker> {
  lastPages = pages
  // The most recently returned worker first: its code and caches are the hottest.
  const pick =
    spares.findLast((s) => s.recycled && s.pages === pages) ??
    spares.find((s) => s.isWarm && s.pages === pages) ??
    spares.findLast((s) => s.recycled) ??
    spares.find((s) => s.isWarm) ??
    spares.find((s) => s.pages === pages) ??
    spares[0]
  if (pick) {
    spares.splice(spares.indexOf(pick), 1)
    pick.detach()
    await pick.posted
    return pick.worker
  }
  // No spare: more sandboxes are live at once than the pool holds, so it grows back to `target`
  // (disposed sandboxes' workers come back on their own, so one after another needs no refill).
  if (concurrent) refillWanted = true
  const worker = newWorker()
  await warm(worker, pages, false)
  return worker
}

/** Call once a sandbox is ready: a refill a cold create asked for starts now, not during the create. */
export function replenishSpare(pages: number): void {
  lastPages = pages
  if (!refillWanted) return
  refillWanted = false
  refill()
}

/** True when the pool would keep a worker given back now (see `adoptWorker`). */
export function wantsWorker(worker: Worker): boolean {
  return (
    startedWith.get(worker) === resourceLimits &&
    target > 0 &&
    (spares.length < target || spares.some((s) => !s.recycled))
  )
}

/**
 * Takes back a worker whose sandbox was disposed and whose guest is gone (it answered `recycle`),
 * as a warm spare for `pages`; returns false (the caller terminates it) when the pool is full.
 */
export async function adoptWorker(worker: Worker, pages: number): Promise<boolean> {
  if (startedWith.get(worker) !== resourceLimits || target === 0) return false
  let evicted: Promise<unknown> | undefined
  if (spares.length >= target) {
    // Full (a refill ran while this worker was out): a worker that has served beats a fresh one.
    const fresh = spares.find((s) => !s.recycled)
    if (!fresh) return false
    spares.splice(spares.indexOf(fresh), 1)
    fresh.detach()
    evicted = fresh.worker.terminate().catch(() => {})
  }
  const spare: Spare = {
    worker,
    pages,
    recycled: true,
    isWarm: true,
    warmed: Promise.resolve(),
    posted: Promise.resolve(),
    detach: () => {},
  }
  const remove = (): void => {
    const index = spares.indexOf(spare)
    if (index >= 0) spares.splice(index, 1)
  }
  worker.on('exit', remove)
  worker.unref()
  spare.detach = () => {
    worker.off('exit', remove)
  }
  spares.push(spare)
  await evicted // so that, once a dispose resolves, only spares are left running
  return true
}

/**
 * Keeps `count` spare workers for sandboxes of this memory size from now on and starts the
 * missing ones at once; resolves when all of them are warm. `count: 0` stops keeping spares.
 */
export async function prewarmWorkers(pages: number, count: number): Promise<void> {
  target = count
  lastPages = pages
  // Keep the best `count` (right memory size first); stop the rest.
  const ranked = [...spares].sort((a, b) => Number(b.pages === pages) - Number(a.pages === pages))
  for (const spare of ranked.slice(count)) {
    spares.splice(spares.indexOf(spare), 1)
    spare.detach()
    void spare.worker.terminate().catch(() => {})
  }
  // Spares start before the compile is awaited (each one's warm-up awaits it): a create made in
  // the meantime takes a booting spare. Started after it, a process's first run booted its own
  // worker while the spare booted beside it, two threads where one was asked for.
  while (spares.length < count) spawnSpare(pages)
  await compiledQuickJS()
  // Spares are unref'd; keep the process alive for the caller who awaits them.
  const keepAlive = setInterval(() => {}, 60_000)
  try {
    await Promise.all(spares.map((s) => s.warmed))
  } finally {
    clearInterval(keepAlive)
  }
}

/** Number of spare workers right now (booting or warm). */
export function spareCount(): number {
  return spares.length
}

/** Worker threads alive right now: claimed by sandboxes, spares, and ones not yet exited. */
export function workerCount(): number {
  return workersAlive
}

/** Worker threads started since the process began: steady use (runs one after another) adds none. */
export function threadsStarted(): number {
  return workersStarted
}

/**
 * V8 limits of workers started from now on (tests shrink them to provoke a worker running out of
 * its own heap); no argument restores the defaults.
 */
export function setWorkerResourceLimits(limits: typeof defaultResourceLimits = defaultResourceLimits): void {
  resourceLimits = limits
}
