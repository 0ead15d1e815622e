// Starts @rlm/server on a free loopback port with scripted models, and gives a test the real
// clients users have: the openai SDK and fetch.

import { createScripted, type GenerateRequest, type ScriptedModel } from '@rlm/providers'
import OpenAI from 'openai'
import { createServer, type ListeningServer, type RlmServer, type ServerOptions } from '../src/index.ts'

export const js = (code: string): string => `\`\`\`js\n${code}\n\`\`\``

/** The query of a root request (the engine's first user message starts "Query: "). */
export function queryOf(req: GenerateRequest): string {
  const first = req.messages.find((m) => m.role === 'user')?.content ?? ''
  return /^Query: ([^\n]*)/.exec(first)?.[1] ?? ''
}

const isRoot = (req: GenerateRequest): boolean =>
  (req.messages[0]?.content ?? '').includes('Recursive Language Model')

export interface RootScript {
  /** The code of each root turn (turn 0, 1, ...), given the query. */
  turns?: Array<(query: string) => string>
  latencyMs?: number
  /** Latency of sub-calls. */
  subLatencyMs?: number
}

/**
 * One scripted model playing both parts: as the root it runs `turns` (default: fan the context's
 * lines out to sub-calls, then answer with what they said); as the sub-model it counts words.
 */
export function scriptedRlm(script: RootScript = {}): ScriptedModel {
  const turns = script.turns ?? [
    () =>
      "const parts = chunks({ strategy: 'lines', size: 1 })\nconst counts = await llm_query_batched(parts.map((c) => context.slice(c.start, c.end)))\nprint(counts.join('; '))",
    (query) => `FINAL('answer to ${query.replace(/[\\']/g, '')}: ' + context.length + ' chars')`,
  ]
  return createScripted(async (req) => {
    if (!isRoot(req)) {
      if (script.subLatencyMs) await sleep(script.subLatencyMs, req.abortSignal)
      const last = req.messages.at(-1)?.content ?? ''
      return `words: ${last.split(/\s+/).filter(Boolean).length}`
    }
    if (script.latencyMs) await sleep(script.latencyMs, req.abortSignal)
    const turn = req.messages.filter((m) => m.role === 'assistant').length
    const code = turns[Math.min(turn, turns.length - 1)] as (q: string) => string
    return js(code(queryOf(req)))
  })
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t)
        reject(signal.reason)
      },
      { once: true },
    )
  })
}

export interface TestServer extends AsyncDisposable {
  server: RlmServer
  listening: ListeningServer
  url: string
  client: OpenAI
  /** fetch against the server with the token (if any) and JSON helpers. */
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>
}

export async function startServer(
  options: Partial<ServerOptions> & { clientOptions?: ConstructorParameters<typeof OpenAI>[0] } = {},
): Promise<TestServer> {
  const { clientOptions, ...serverOptions } = options
  const server = createServer({ models: { scripted: scriptedRlm() }, log: () => {}, ...serverOptions })
  const listening = await server.listen({ port: 0 })
  const client = new OpenAI({
    baseURL: `${listening.url}/v1`,
    apiKey: options.token ?? 'unused',
    maxRetries: 0,
    ...clientOptions,
  })
  const api: TestServer['api'] = (path, init = {}) => {
    const { json, ...rest } = init
    const headers = new Headers(rest.headers)
    if (options.token && !headers.has('authorization'))
      headers.set('authorization', `Bearer ${options.token}`)
    if (json !== undefined) headers.set('content-type', 'application/json')
    return fetch(`${listening.url}${path}`, {
      ...rest,
      headers,
      ...(json !== undefined && { body: JSON.stringify(json) }),
    })
  }
  return {
    server,
    listening,
    url: listening.url,
    client,
    api,
    [Symbol.asyncDispose]: () => listening.close(5_000),
  }
}
