/// <reference path="./wasm-globals.d.ts" />
// Compiles the QuickJS WebAssembly module once per process and keeps one spare worker warm
// (module instantiated), so creating a sandbox costs a message round trip, not a thread start.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { WarmMessage } from './protocol.ts'
import { workerUrl } from './worker-url.ts'

const require = createRequire(import.meta.url)

const resourceLimits = { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 64, stackSizeMb: 16 }

let compiled: Promise<WebAssembly.Module> | undefined
let spare: { worker: Worker; pages: number } | undefined
let spareTimer: NodeJS.Immediate | undefined

export function compiledQuickJS(): Promise<WebAssembly.Module> {
  if (!compiled) {
    const path = require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm')
    compiled = readFile(path).then((bytes) => WebAssembly.compile(bytes))
    compiled.catch(() => {
      compiled = undefined
    })
  }
  return compiled
}

async function spawn(pages: number, warmUp: boolean): Promise<Worker> {
  const worker = new Worker(workerUrl(), { resourceLimits, env: {}, stdout: false, stderr: false })
  worker.unref()
  // A spare that dies before it is used is simply dropped.
  worker.on('error', () => {})
  const message: WarmMessage = {
    type: 'warm',
    wasmModule: await compiledQuickJS(),
    memoryPages: pages,
    warmUp,
  }
  worker.postMessage(message)
  return worker
}

function replenish(pages: number): void {
  if (spare || spareTimer) return
  spareTimer = setImmediate(() => {
    spareTimer = undefined
    spawn(pages, true).then(
      (worker) => {
        if (spare) void worker.terminate()
        else spare = { worker, pages }
      },
      () => {},
    )
  })
  spareTimer.unref()
}

/** A worker with QuickJS loading or loaded; the caller owns it and must terminate it. */
export async function acquireWorker(pages: number): Promise<Worker> {
  const taken = spare
  spare = undefined
  return taken ? taken.worker : await spawn(pages, false)
}

/** Call once a sandbox is ready: a spare boots while the host is idle, not during a create. */
export function replenishSpare(pages: number): void {
  replenish(pages)
}

/** Starts a spare worker now for sandboxes of this memory size, so the next create is fast. */
export async function prewarmWorker(pages: number): Promise<void> {
  await compiledQuickJS()
  if (!spare) spare = { worker: await spawn(pages, true), pages }
}
