// Worker: runs one search or chunk plan at a time over a context's shared buffer, so the caller's
// event loop stays free; the caller terminates it to cancel.
import { parentPort } from 'node:worker_threads'
import { isRlmError } from '@rlm/errors'
import type { ChunkSpan } from './chunk.ts'
import { compilePattern } from './compile-pattern.ts'
import type { ContextTask, TaskReply } from './context-task-protocol.ts'
import { execJsRegExp, type RegExpExecMatch } from './js-regexp-exec.ts'
import { OffsetIndex } from './offset-index.ts'
import { type SearchHit, searchDocuments } from './search.ts'

// Chunking loads tiktoken's WASM: only on the first chunk task, so a search-only worker starts fast.
let chunker: Promise<typeof import('./chunk.ts')> | undefined

parentPort?.on('message', async (task: ContextTask) => {
  let reply: TaskReply
  try {
    const index = new OffsetIndex(new Uint8Array(task.buffer, 0, task.byteLength), task.index)
    let value: SearchHit[] | ChunkSpan[] | RegExpExecMatch[]
    if (task.op === 'search') {
      value = searchDocuments(index, task.docs, compilePattern(task.pattern, task.options), task.bounds)
    } else if (task.op === 'exec') {
      value = execJsRegExp(index, task.source, task.flags, task.options)
    } else {
      chunker ??= import('./chunk.ts')
      value = (await chunker).planChunks(index, task.docs, task.plan)
    }
    reply = { id: task.id, ok: true, value }
  } catch (err) {
    reply = isRlmError(err)
      ? { id: task.id, ok: false, code: err.code, message: err.message, details: err.details }
      : { id: task.id, ok: false, message: err instanceof Error ? err.message : String(err) }
  }
  parentPort?.postMessage(reply)
})
