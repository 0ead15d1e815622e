// Concurrent requests on one llama.cpp context: each gets a context sequence of its own (and
// the LlamaChat kept on it, so a follow-up prompt reuses the evaluated prefix); past `parallel`
// sequences, requests wait in line, first come first served, and leave the line on abort.
import type { ChatWrapper, LlamaContext } from 'node-llama-cpp'
import { LlamaChat } from 'node-llama-cpp'

interface Waiter {
  resolve(chat: LlamaChat): void
  reject(err: unknown): void
  signal: AbortSignal | undefined
  onAbort: () => void
}

export interface SequencePool {
  /** A free sequence's chat, waiting for one when all are busy. */
  acquire(signal: AbortSignal | undefined, onAbort: () => Error): Promise<LlamaChat>
  release(chat: LlamaChat): void
  /** Requests generating now, and waiting. */
  readonly busy: number
  readonly waiting: number
}

export function createSequencePool(context: LlamaContext, chatWrapper: ChatWrapper): SequencePool {
  const free: LlamaChat[] = []
  const line: Waiter[] = []
  let busy = 0
  const take = (): LlamaChat | undefined => {
    const reused = free.pop()
    if (reused) return reused
    if (context.sequencesLeft === 0) return undefined
    return new LlamaChat({ contextSequence: context.getSequence(), chatWrapper, autoDisposeSequence: false })
  }
  return {
    get busy() {
      return busy
    },
    get waiting() {
      return line.length
    },
    acquire(signal, onAbort) {
      if (signal?.aborted) return Promise.reject(onAbort())
      const chat = take()
      if (chat) {
        busy++
        return Promise.resolve(chat)
      }
      return new Promise<LlamaChat>((resolve, reject) => {
        const waiter: Waiter = {
          resolve,
          reject,
          signal,
          onAbort: () => {
            line.splice(line.indexOf(waiter), 1)
            reject(onAbort())
          },
        }
        signal?.addEventListener('abort', waiter.onAbort, { once: true })
        line.push(waiter)
      })
    },
    release(chat) {
      const next = line.shift()
      if (next) {
        next.signal?.removeEventListener('abort', next.onAbort)
        next.resolve(chat)
        return
      }
      busy--
      free.push(chat)
    },
  }
}
