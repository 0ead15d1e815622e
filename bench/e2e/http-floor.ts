// The floor under the fan-out figures: the same burst of sub-calls sent with a bare
// `http.request` (no SDK, no rlm; a keep-alive Agent like the providers'), and through
// @rlm/providers without the engine. Both hit the same server process as the runs.
import http from 'node:http'
import { createOpenAICompatible } from '@rlm/providers'

export type Burst = () => Promise<void>

/** `calls` concurrent bare chat-completion requests; resolves when every reply is parsed. */
export function bareHttpBurst(baseURL: string, calls: number, prompt: (i: number) => string): Burst {
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: Number.POSITIVE_INFINITY,
    maxFreeSockets: 1024,
  })
  const url = new URL(`${baseURL}/chat/completions`)
  const one = (i: number): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ model: 'bench-sub', messages: [{ role: 'user', content: prompt(i) }] })
      const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
      const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', reject)
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
      })
      req.on('error', reject)
      req.end(body)
    })
  return async () => {
    await Promise.all(Array.from({ length: calls }, (_, i) => one(i)))
  }
}

/** The same burst as `generate` calls on an OpenAI-compatible provider (SDK + keep-alive fetch). */
export function providerBurst(baseURL: string, calls: number, prompt: (i: number) => string): Burst {
  const model = createOpenAICompatible({ baseURL, apiKey: 'bench', model: 'bench-sub', maxRetries: 0 })
  return async () => {
    await Promise.all(
      Array.from({ length: calls }, (_, i) =>
        model.generate({ messages: [{ role: 'user', content: prompt(i) }] }),
      ),
    )
  }
}
