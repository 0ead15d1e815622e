// What the server adds to a run as a client sees it: per request through POST
// /v1/chat/completions (fetch, keep-alive), the client's wait minus the run's own time inside the
// server (an observer's start to end), so the run's variance does not hide a few milliseconds; and
// for scale the same zero-latency one-turn run through `rlm.run()` directly and the openai SDK,
// interleaved in rounds, and the bare HTTP round trip of a Node server answering fixed JSON.

import { createServer as createHttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRlm } from '@rlm/engine'
import { createScripted } from '@rlm/providers'
import OpenAI from 'openai'
import { createServer } from '../src/index.ts'

export interface OverheadFigures {
  directMs: number[]
  serverMs: number[]
  /** Per request: the client's wait minus the time the server spent in the run (start to end). */
  addedMs: number[]
  sdkMs: number[]
  bareHttpMs: number[]
}

const answer = () => createScripted(() => '```js\nFINAL("ok")\n```')

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

export async function measureOverhead(rounds: number, perRound: number): Promise<OverheadFigures> {
  const rlm = createRlm({ model: answer(), trace: false })
  // The run's own time inside the server, from just before run() to just after it resolved.
  let runStarted = 0
  let runMs = 0
  const server = createServer({
    models: { m: answer() },
    log: () => {},
    observers: [
      {
        onStart: () => {
          runStarted = performance.now()
        },
        onEnd: () => {
          runMs = performance.now() - runStarted
        },
      },
    ],
  })
  const listening = await server.listen({ port: 0 })
  const body = JSON.stringify({ model: 'rlm', messages: [{ role: 'user', content: 'q' }] })
  const viaServer = () =>
    fetch(`${listening.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    }).then((r) => r.json())
  const sdk = new OpenAI({ baseURL: `${listening.url}/v1`, apiKey: 'unused', maxRetries: 0 })
  const viaSdk = () =>
    sdk.chat.completions.create({ model: 'rlm', messages: [{ role: 'user', content: 'q' }] })
  const bare = createHttpServer((req, res) => {
    req.resume()
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'))
  })
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve))
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`
  const viaBare = () => fetch(bareUrl, { method: 'POST', body }).then((r) => r.json())

  const figures: OverheadFigures = { directMs: [], serverMs: [], addedMs: [], sdkMs: [], bareHttpMs: [] }
  for (let i = 0; i < 10; i++) await Promise.all([rlm.run({ query: 'q' }), viaServer(), viaSdk(), viaBare()])
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < perRound; i++) figures.directMs.push(await time(() => rlm.run({ query: 'q' })))
    for (let i = 0; i < perRound; i++) {
      const total = await time(viaServer)
      figures.serverMs.push(total)
      figures.addedMs.push(total - runMs)
    }
    for (let i = 0; i < perRound; i++) figures.sdkMs.push(await time(viaSdk))
    for (let i = 0; i < perRound; i++) figures.bareHttpMs.push(await time(viaBare))
  }
  await listening.close(1_000)
  await new Promise((resolve) => bare.close(resolve))
  return figures
}
