// Per-call cost of rlm's layer (settings, retry/rate-limit/timeout wrapper, request mapping,
// zod validation of the body, usage and cost) over the bare SDK call: for each SDK with an
// in-memory fetch that takes the network out of the comparison, and for OpenAI on loopback too.
import Anthropic from '@anthropic-ai/sdk'
import Groq from 'groq-sdk'
import OpenAI from 'openai'
import { Bench } from 'tinybench'
import {
  createAnthropic,
  createGroq,
  createKeepAliveFetch,
  createOpenAICompatible,
  type LanguageModel,
} from '../src/index.ts'
import { createOpenAICompatibleServer } from '../src/testing/index.ts'

export interface OverheadFigures {
  /** What was compared, e.g. 'openai SDK, loopback'. */
  label: string
  /** Medians per call (best of three alternated runs). */
  bareMs: number
  oursMs: number
  overheadMs: number
}

const messages = [{ role: 'user' as const, content: 'ping' }]
const TIMEOUT = 120_000

const chatBody = JSON.stringify({
  id: 'x',
  object: 'chat.completion',
  created: 0,
  model: 'bench',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
})
const messagesBody = JSON.stringify({
  id: 'msg_x',
  type: 'message',
  role: 'assistant',
  model: 'bench',
  content: [{ type: 'text', text: 'ok' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 1, output_tokens: 1 },
})

const inMemory =
  (body: string): typeof fetch =>
  async (_input, init) => {
    if (typeof init?.body === 'string') JSON.parse(init.body)
    return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })
  }

async function compare(
  label: string,
  bare: () => Promise<unknown>,
  ours: LanguageModel,
  rounds = 3,
): Promise<OverheadFigures> {
  const tasks = { bare, ours: () => ours.generate({ messages }) }
  // Separate runs, alternated over several rounds (best of each), so JIT warm-up, GC and drift on
  // a shared machine do not favour whichever side runs first.
  const medians = { bare: [] as number[], ours: [] as number[] }
  for (let round = 0; round < rounds; round++) {
    for (const name of (round % 2 === 0 ? ['bare', 'ours'] : ['ours', 'bare']) as ('bare' | 'ours')[]) {
      const bench = new Bench({ time: 500, warmupTime: 150 })
      bench.add(name, async () => {
        await tasks[name]()
      })
      await bench.run()
      const result = bench.tasks[0]?.result
      // The median, not the mean: other processes on a shared machine add long outliers.
      medians[name].push(result?.state === 'completed' ? result.latency.p50 : Number.NaN)
    }
  }
  const bareMs = Math.min(...medians.bare)
  const oursMs = Math.min(...medians.ours)
  return { label, bareMs, oursMs, overheadMs: oursMs - bareMs }
}

// Bare clients are configured exactly as the rlm factories configure their own.
function openAIPair(baseURL: string, fetchImpl: typeof fetch) {
  const client = new OpenAI({
    apiKey: 'k',
    baseURL,
    organization: null,
    project: null,
    fetch: fetchImpl,
    maxRetries: 0,
    timeout: TIMEOUT,
    logLevel: 'off',
  })
  return {
    bare: () => client.chat.completions.create({ model: 'bench', messages }, { timeout: TIMEOUT }),
    ours: createOpenAICompatible({ baseURL, apiKey: 'k', model: 'bench', fetch: fetchImpl }),
  }
}

export async function measureOverhead(): Promise<OverheadFigures[]> {
  const out: OverheadFigures[] = []
  const o = openAIPair('http://bench.invalid/v1', inMemory(chatBody))
  out.push(await compare('openai SDK, in-memory fetch', o.bare, o.ours))

  const groqFetch = inMemory(chatBody)
  const groq = new Groq({
    apiKey: 'k',
    baseURL: 'http://bench.invalid',
    fetch: groqFetch,
    maxRetries: 0,
    timeout: TIMEOUT,
    logLevel: 'off',
  })
  out.push(
    await compare(
      'groq-sdk, in-memory fetch',
      () => groq.chat.completions.create({ model: 'bench', messages }, { timeout: TIMEOUT }),
      createGroq({ baseURL: 'http://bench.invalid', apiKey: 'k', model: 'bench', fetch: groqFetch }),
    ),
  )

  const anthropicFetch = inMemory(messagesBody)
  const anthropic = new Anthropic({
    apiKey: 'k',
    baseURL: 'http://bench.invalid',
    defaultHeaders: { 'x-api-key': 'k' },
    fetch: anthropicFetch,
    maxRetries: 0,
    timeout: TIMEOUT,
    logLevel: 'off',
    openTelemetry: false,
  })
  out.push(
    await compare(
      '@anthropic-ai/sdk, in-memory fetch',
      () => anthropic.messages.create({ model: 'bench', max_tokens: 4096, messages }, { timeout: TIMEOUT }),
      createAnthropic({
        baseURL: 'http://bench.invalid',
        apiKey: 'k',
        model: 'bench',
        fetch: anthropicFetch,
      }),
    ),
  )

  await using server = await createOpenAICompatibleServer({ replies: () => 'ok' })
  const loop = openAIPair(server.baseURL, createKeepAliveFetch())
  // Loopback timings are noisier (sockets, the server's share): more rounds.
  out.push(await compare('openai SDK, loopback, keep-alive fetch', loop.bare, loop.ours, 7))
  return out
}
