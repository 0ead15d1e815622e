// Runs searches and chunk plans on worker threads: the calling thread's event loop keeps turning
// while a slow pattern scans, and an aborted signal terminates the worker mid-scan.
import { Worker } from 'node:worker_threads'
import { isRlmError, RlmError } from '@rlm/errors'
import { ContextErrorCode } from './context-errors.ts'
import type { ContextTask, TaskReply } from './context-task-protocol.ts'
import { taskWorkerExecArgv } from './task-worker-flags.ts'

/** Idle workers kept for the next task (a fresh one costs a thread start and module load). */
const MAX_IDLE = 2

const idle: Worker[] = []
let nextId = 1
const workerUrl = new URL(
  `./context-task-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
)

/** Workers started so far (tests check that cancelling really replaces one), and retired idle ones. */
export const taskStats = { started: 0, retired: 0 }

/**
 * Which contexts' buffers each worker has read. An idle worker never collects its garbage, so it
 * would keep every context it ever searched alive (40 MiB a run for a 40 MiB context); once this
 * thread has let a context go, idle workers that read it are terminated, which frees it for good.
 */
const buffersRead = new WeakMap<Worker, Set<number>>()
const bufferIds = new WeakMap<SharedArrayBuffer, number>()
let nextBufferId = 1
const released = new FinalizationRegistry<number>((id) => {
  for (const worker of [...idle]) {
    if (!buffersRead.get(worker)?.has(id)) continue
    idle.splice(idle.indexOf(worker), 1)
    taskStats.retired++
    void worker.terminate()
  }
})

function noteBuffer(worker: Worker, buffer: SharedArrayBuffer): void {
  let id = bufferIds.get(buffer)
  if (id === undefined) {
    id = nextBufferId++
    bufferIds.set(buffer, id)
    released.register(buffer, id)
  }
  const read = buffersRead.get(worker) ?? new Set<number>()
  buffersRead.set(worker, read)
  read.add(id)
}

function spawn(): Worker {
  taskStats.started++
  const worker = new Worker(workerUrl, { execArgv: taskWorkerExecArgv() })
  // An idle worker must never keep the process alive; a busy one is ref'd while its task runs.
  worker.unref()
  // A worker that dies while idle just leaves the pool.
  worker.on('exit', () => {
    const i = idle.indexOf(worker)
    if (i >= 0) idle.splice(i, 1)
  })
  worker.on('error', () => {})
  return worker
}

/** Starts a worker ahead of the first task, so that task does not pay for the start. */
export function prewarmTaskWorker(): void {
  if (idle.length === 0) idle.push(spawn())
}

type Payload<T extends ContextTask> = T extends unknown ? Omit<T, 'id'> : never

/** Runs `task` on a worker; rejects with the task's own RlmError, or E_ABORTED when `signal` aborts. */
export function runTask<R>(task: Payload<ContextTask>, what: string, signal?: AbortSignal): Promise<R> {
  if (signal?.aborted) return Promise.reject(abortError(signal, what))
  const worker = idle.pop() ?? spawn()
  const id = nextId++
  noteBuffer(worker, task.buffer)
  worker.ref()
  return new Promise<R>((resolve, reject) => {
    const settle = (): void => {
      worker.off('message', onMessage)
      worker.off('error', onError)
      worker.off('exit', onExit)
      signal?.removeEventListener('abort', onAbort)
    }
    const onMessage = (reply: TaskReply): void => {
      if (reply.id !== id) return
      settle()
      worker.unref()
      if (idle.length < MAX_IDLE) idle.push(worker)
      else void worker.terminate()
      if (reply.ok) resolve(reply.value as R)
      else if (reply.code)
        reject(new RlmError(reply.code, reply.message, reply.details ? { details: reply.details } : {}))
      else reject(new RlmError('E_INTERNAL', `${what} failed in its worker: ${reply.message}`))
    }
    const onAbort = (): void => {
      settle()
      void worker.terminate()
      reject(abortError(signal, what))
    }
    const onError = (err: Error & { code?: string }): void => {
      settle()
      void worker.terminate()
      reject(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new RlmError(
              ContextErrorCode.limit,
              `${what} ran out of memory in its worker; ask for fewer results or narrow the pattern.`,
              { cause: err, details: { limit: 'memory' } },
            )
          : new RlmError('E_INTERNAL', `${what} failed in its worker: ${err.message}`, { cause: err }),
      )
    }
    const onExit = (code: number): void => {
      settle()
      reject(new RlmError('E_INTERNAL', `${what}: its worker stopped (exit code ${code}).`))
    }
    worker.on('message', onMessage)
    worker.on('error', onError)
    worker.on('exit', onExit)
    signal?.addEventListener('abort', onAbort, { once: true })
    worker.postMessage({ ...task, id })
  })
}

function abortError(signal: AbortSignal | undefined, what: string): RlmError {
  const reason: unknown = signal?.reason
  if (isRlmError(reason)) return reason
  return new RlmError(ContextErrorCode.aborted, `${what} was cancelled.`, { cause: reason })
}
