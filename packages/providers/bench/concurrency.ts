// Wall time, CPU time per call and memory for bursts of N concurrent generate calls against a
// loopback server that answers after a fixed latency; client and server share this process.
// One server and one model per measurement, warmed up over several bursts first, as in a
// long-running RLM process (a cold JIT doubles the CPU per call).
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

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

export async function measureConcurrency(
  calls: number,
  latencyMs: number,
  fetchImpl: typeof fetch | undefined,
  { warmups = 3, bursts = 5 }: { warmups?: number; bursts?: number } = {},
): Promise<ConcurrencyFigures> {
  await using server = await createOpenAICompatibleServer({ latencyMs, replies: () => 'ok' })
  const model = createOpenAICompatible({
    baseURL: server.baseURL,
    model: 'bench',
    fetch: fetchImpl,
    maxRetries: 0,
  })
  const ask = { messages: [{ role: 'user' as const, content: 'ping' }] }
  for (let i = 0; i < warmups; i++)
    await Promise.all(Array.from({ length: calls }, () => model.generate(ask)))
  const samples: Omit<ConcurrencyFigures, 'calls' | 'latencyMs' | 'ratio'>[] = []
  for (let i = 0; i < bursts; i++) {
    // No forced gc() here: its concurrent sweeping would bill this burst for CPU on other threads.
    server.requests.length = 0
    const heap0 = process.memoryUsage().heapUsed
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    const results = await Promise.all(Array.from({ length: calls }, () => model.generate(ask)))
    const wallMs = performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    const mem = process.memoryUsage()
    if (results.some((r) => r.text !== 'ok')) throw new Error('a call returned the wrong text')
    samples.push({
      wallMs,
      cpuMsPerCall: (cpu.user + cpu.system) / 1000 / calls,
      heapDeltaMb: (mem.heapUsed - heap0) / 2 ** 20,
      rssMb: mem.rss / 2 ** 20,
    })
  }
  const wallMs = median(samples.map((s) => s.wallMs))
  return {
    calls,
    latencyMs,
    wallMs,
    ratio: wallMs / latencyMs,
    cpuMsPerCall: median(samples.map((s) => s.cpuMsPerCall)),
    heapDeltaMb: median(samples.map((s) => s.heapDeltaMb)),
    rssMb: Math.max(...samples.map((s) => s.rssMb)),
  }
}
