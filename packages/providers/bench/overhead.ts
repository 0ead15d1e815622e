// Per-call cost of rlm's layer (settings, retry/rate-limit/timeout wrapper, request mapping,
// zod validation of the body, usage and cost) over the bare SDK call, both on loopback and with
// an in-memory fetch that takes the network out of the comparison.
import OpenAI from 'openai'
import { Bench } from 'tinybench'
import { createKeepAliveFetch, createOpenAICompatible } from '../src/index.ts'
import { createOpenAICompatibleServer } from '../src/testing/index.ts'

export interface OverheadFigures {
  // Medians per call (best of three alternated runs).
  transport: string
  bareMs: number
  oursMs: number
  overheadMs: number
}

const messages = [{ role: 'user' as const, content: 'ping' }]

const cannedBody = JSON.stringify({
  id: 'x',
  object: 'chat.completion',
  created: 0,
  model: 'bench',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
})

const inMemoryFetch: typeof fetch = async (_input, init) => {
  if (typeof init?.body === 'string') JSON.parse(init.body)
  return new Response(cannedBody, { status: 200, headers: { 'content-type': 'application/json' } })
}

async function compare(
  transport: string,
  baseURL: string,
  fetchImpl: typeof fetch,
): Promise<OverheadFigures> {
  // The bare client is configured exactly as createOpenAICompatible configures its own.
  const bare = new OpenAI({
    apiKey: 'k',
    baseURL,
    organization: null,
    project: null,
    fetch: fetchImpl,
    maxRetries: 0,
    timeout: 120_000,
    logLevel: 'off',
  })
  const ours = createOpenAICompatible({
    baseURL,
    apiKey: 'k',
    model: 'bench',
    fetch: fetchImpl,
    maxRetries: 2,
  })
  const tasks = {
    bare: async () => {
      await bare.chat.completions.create(
        { model: 'bench', messages },
        { signal: undefined, timeout: 120_000 },
      )
    },
    ours: async () => {
      await ours.generate({ messages })
    },
  }
  // Separate runs, alternated over three rounds (best of each), so JIT warm-up, GC and drift on
  // a shared machine do not favour whichever side runs first.
  const means = { bare: [] as number[], ours: [] as number[] }
  for (let round = 0; round < 3; round++) {
    for (const name of (round % 2 === 0 ? ['bare', 'ours'] : ['ours', 'bare']) as ('bare' | 'ours')[]) {
      const bench = new Bench({ time: 700, warmupTime: 200 })
      bench.add(name, tasks[name])
      await bench.run()
      const result = bench.tasks[0]?.result
      // The median, not the mean: other processes on a shared machine add long outliers.
      means[name].push(result?.state === 'completed' ? result.latency.p50 : Number.NaN)
    }
  }
  const bareMs = Math.min(...means.bare)
  const oursMs = Math.min(...means.ours)
  return { transport, bareMs, oursMs, overheadMs: oursMs - bareMs }
}

export async function measureOverhead(): Promise<OverheadFigures[]> {
  const out: OverheadFigures[] = []
  out.push(await compare('in-memory fetch', 'http://bench.invalid/v1', inMemoryFetch))
  await using server = await createOpenAICompatibleServer({ replies: () => 'ok' })
  out.push(await compare('loopback, keep-alive fetch', server.baseURL, createKeepAliveFetch()))
  return out
}
