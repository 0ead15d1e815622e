// Memory a run costs the server while it waits: K runs started through the runs API whose model
// does not answer until released (each running run is waiting on its first model call, its
// sandbox started), and K runs queued behind a single slot. Heap after a full GC and RSS, per run.

import { createScripted } from '@rlm/providers'
import { createServer, type RlmServer } from '../src/index.ts'

export interface IdleMemory {
  runningHeapKiB: number
  runningRssKiB: number
  queuedHeapKiB: number
  queuedRssKiB: number
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.()

function settle(): { heap: number; rss: number } {
  gc()
  gc()
  const m = process.memoryUsage()
  return { heap: m.heapUsed, rss: m.rss }
}

async function startRuns(server: RlmServer, url: string, k: number): Promise<void> {
  for (let i = 0; i < k; i++) {
    const res = await fetch(`${url}/v1/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `question ${i}`, context: `context of run ${i}` }),
    })
    if (res.status !== 201) throw new Error(`run ${i} was refused: ${res.status} ${await res.text()}`)
  }
  void server
}

async function measure(k: number, maxConcurrentRuns: number, waitFor: (s: RlmServer) => boolean) {
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  const model = createScripted(async () => {
    await released
    return '```js\nFINAL("ok")\n```'
  })
  const server = createServer({ models: { m: model }, maxConcurrentRuns, maxQueue: k, log: () => {} })
  const listening = await server.listen({ port: 0 })
  // One run first, so what every run shares (modules, the sandbox pool) is not counted per run.
  await startRuns(server, listening.url, 1)
  while (!waitFor(server)) await new Promise((r) => setTimeout(r, 20))
  await new Promise((r) => setTimeout(r, 500))
  const before = settle()
  await startRuns(server, listening.url, k)
  while (!waitFor(server)) await new Promise((r) => setTimeout(r, 20))
  await new Promise((r) => setTimeout(r, 1_000))
  const after = settle()
  release()
  await listening.close(60_000)
  return { heapKiB: (after.heap - before.heap) / k / 1024, rssKiB: (after.rss - before.rss) / k / 1024 }
}

export async function measureIdleMemory(k: number): Promise<IdleMemory> {
  // Running: every run has emitted run_start and iteration_start and awaits the model.
  const allWaiting = (s: RlmServer) => s.runs.list().every((r) => r.status === 'running' && r.eventCount >= 2)
  const running = await measure(k, k + 1, allWaiting)
  const queued = await measure(k, 1, (s) => s.runs.queued === s.runs.list().length - 1)
  return {
    runningHeapKiB: running.heapKiB,
    runningRssKiB: running.rssKiB,
    queuedHeapKiB: queued.heapKiB,
    queuedRssKiB: queued.rssKiB,
  }
}
