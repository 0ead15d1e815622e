/// <reference path="./wasm-globals.d.ts" />
// Messages between the host (sandbox.ts) and the worker that runs QuickJS (worker.ts).
import type { MessagePort } from 'node:worker_threads'
import type { GuestDeterminism } from './guest-determinism.ts'
import type { LedgerBuffers } from './memory-ledger.ts'
import type { SandboxError } from './run-result.ts'

export interface EncodedGlobal {
  name: string
  /** 'string': the value is the string; 'json': the string is JSON text the guest parses. */
  kind: 'string' | 'json'
  /** bjson-encoded string bytes (see bjson-string.ts), shared, never copied per worker. */
  bytes: SharedArrayBuffer
}

export interface WorkerLimits {
  /** WebAssembly.Memory maximum, in 64 KiB pages. */
  memoryPages: number
  stackSizeBytes: number
  outputLimitBytes: number
  valueLimitBytes: number
  maxPendingCalls: number
  maxCallBytesInFlight: number
}

export interface InitMessage {
  type: 'init'
  limits: WorkerLimits
  globals: EncodedGlobal[]
  functions: Array<{ name: string; sync: boolean }>
  prelude: string | undefined
  /** A seeded Math.random and a deterministic clock; empty for the engine's own. */
  determinism?: GuestDeterminism | undefined
  streamOutput: boolean
  /**
   * Int32[0]: id of the last answered sync call; Int32[1]: count of async answers sent. The
   * answers themselves go over syncPort.
   */
  syncSignal: SharedArrayBuffer
  syncPort: MessagePort
  /** The shared memory budget this worker's heap growth is charged to (the host charged its start). */
  memoryBudget?: LedgerBuffers | undefined
}

/** Sent to a spare worker right after spawn, so it can instantiate before it is needed. */
export interface WarmMessage {
  type: 'warm'
  wasmModule: WebAssembly.Module
  memoryPages: number
  /** Run a throwaway session first (spares only: it costs time but makes the claim fast). */
  warmUp: boolean
}

export interface RunMessage {
  type: 'run'
  id: number
  code: string
  /** Absolute deadline, Date.now() based. */
  deadline: number
  timeoutMs: number
}

export interface CallResultMessage {
  type: 'call-result'
  callId: number
  ok: boolean
  /**
   * A primitive result, or (objects and arrays) its JSON text in `json`: the worker never
   * deserializes a host object graph onto its own V8 heap, where a big one could exhaust it.
   */
  value?: string | number | boolean | null
  json?: string
  message?: string
  /** Stable error code of a failed call (`E_…` only), set as `code` on the guest error. */
  code?: string
}

/**
 * The sandbox using this worker was disposed while idle: drop its guest (QuickJS instance, heap,
 * session) and get a fresh instance ready, so the thread, with its compiled glue, serves another.
 */
export interface RecycleMessage {
  type: 'recycle'
  memoryPages: number
}

/** Answers to host calls (CallResultMessage) travel over InitMessage.syncPort instead. */
export type HostToWorker = InitMessage | WarmMessage | RunMessage | RecycleMessage

export interface ReadyMessage {
  type: 'ready'
}

/** A spare finished its throwaway session (only sent for `warm` with `warmUp: true`). */
export interface WarmedMessage {
  type: 'warmed'
}

/** The guest of a recycled worker is gone; the worker is a spare again. */
export interface RecycledMessage {
  type: 'recycled'
}

export interface InitFailedMessage {
  type: 'init-failed'
  code: 'E_MEMORY' | 'E_RUNTIME' | 'E_SANDBOX_INTERNAL'
  message: string
  /** The shared memory budget refused the heap the install needed. */
  budget?: boolean
}

export interface CallMessage {
  type: 'call'
  callId: number
  name: string
  /** JSON text of the argument array, produced in the guest by the strict converter. */
  args: string
  sync: boolean
}

export interface OutputMessage {
  type: 'output'
  chunk: string
}

export interface DoneMessage {
  type: 'done'
  id: number
  result: WorkerOutcome
  /** The worker judged its own state unusable; the host replaces it. */
  broken?: boolean
}

export type WorkerToHost =
  | ReadyMessage
  | WarmedMessage
  | RecycledMessage
  | InitFailedMessage
  | CallMessage
  | OutputMessage
  | DoneMessage

/** A run's result as the worker reports it; the host parses valueJson and adds timing. */
export interface WorkerOutcome {
  ok: boolean
  output: string
  valueJson?: string
  /** Why the completion value could not be converted (the run itself succeeded). */
  valueError?: string
  error?: SandboxError
}
