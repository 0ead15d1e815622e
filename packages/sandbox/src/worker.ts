// Worker entry: turns on Node's compile cache for this thread before loading the real worker, so
// every new worker reads V8 code for the glue, acorn and the session instead of compiling it again.
import * as nodeModule from 'node:module'
import { workerData } from 'node:worker_threads'

const cacheDir = (workerData as { compileCacheDir?: string } | null)?.compileCacheDir
const api = nodeModule as {
  enableCompileCache?: (dir?: string) => unknown
  flushCompileCache?: () => void
}
try {
  if (cacheDir !== '') api.enableCompileCache?.(cacheDir)
} catch {
  // No cache (read-only file system, old Node): the worker only starts a few ms slower.
}
await import('./worker-main.ts')
try {
  // Workers are terminated, never exit normally: write the cache now, not at exit.
  api.flushCompileCache?.()
} catch {}
