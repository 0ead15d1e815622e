// Wall time, CPU time per call and memory for N concurrent generate calls against a loopback
// server that answers after a fixed latency; client and server share this process.
import { createOpenAICompatible } from '../src/index.ts'
import { createOpenAICompatibleServer } from '../src/testing/index.ts'

export interface ConcurrencyFigures {
  calls: number
  latencyMs: number
  wallMs: number
  ratio: number
  cpuMsPerCall: number
  heapDeltaMb: number
  rssMb: number
}

export async function measureConcurrency(
  calls: number,
  latencyMs: number,
  fetchImpl: typeof fetch | undefined,
): Promise<ConcurrencyFigures> {
  await using server = await createOpenAICompatibleServer({ latencyMs, replies: () => 'ok' })
  const model = createOpenAICompatible({
    baseURL: server.baseURL,
    model: 'bench',
    fetch: fetchImpl,
    maxRetries: 0,
  })
  const ask = { messages: [{ role: 'user' as const, content: 'ping' }] }
  // Warm up at full concurrency: JIT, and a keep-alive socket per concurrent call, as in a long run.
  await Promise.all(Array.from({ length: calls }, () => model.generate(ask)))
  globalThis.gc?.()
  const heap0 = process.memoryUsage().heapUsed
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const results = await Promise.all(Array.from({ length: calls }, () => model.generate(ask)))
  const wallMs = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const mem = process.memoryUsage()
  if (results.some((r) => r.text !== 'ok')) throw new Error('a call returned the wrong text')
  return {
    calls,
    latencyMs,
    wallMs,
    ratio: wallMs / latencyMs,
    cpuMsPerCall: (cpu.user + cpu.system) / 1000 / calls,
    heapDeltaMb: (mem.heapUsed - heap0) / 2 ** 20,
    rssMb: mem.rss / 2 ** 20,
  }
}
