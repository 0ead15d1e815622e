import { resolveModel } from '@rlm/providers'
import { createLoopbackServer, runConformance } from '@rlm/providers/testing'
import { describe, expect, it } from 'vitest'
import createProvider, { createOllamaNative, ollamaNativeWire } from '../src/index.ts'

describe('rlm-provider-ollama-native', () => {
  it('passes the @rlm/providers conformance suite', async () => {
    const report = await runConformance({ wire: ollamaNativeWire, createModel: (s) => createOllamaNative(s) })
    expect(report.failed).toEqual([])
    expect(report.passed.length).toBeGreaterThanOrEqual(15)
  })

  it('sends Ollama options and reports a local call as free', async () => {
    await using server = await createLoopbackServer(ollamaNativeWire, {
      replies: [{ text: 'hi', usage: { inputTokens: 3, outputTokens: 1 } }],
    })
    const model = createOllamaNative({ baseURL: server.baseURL, model: 'llama3.2:3b', contextWindow: 8192 })
    const r = await model.generate({ messages: [{ role: 'user', content: 'hello' }], maxOutputTokens: 5 })
    expect(r).toMatchObject({ text: 'hi', costUsd: 0, usage: { inputTokens: 3, outputTokens: 1 } })
    expect(server.requests[0]?.body).toMatchObject({
      stream: false,
      options: { num_predict: 5, num_ctx: 8192 },
    })
    expect(model.contextWindow).toBe(8192)
  })

  it('is loaded by resolveModel through a configured alias and gets rlm retries', async () => {
    await using server = await createLoopbackServer(ollamaNativeWire, {
      faults: [{ status: 503, headers: { 'retry-after': '0' } }],
      replies: ['after retry'],
    })
    const model = await resolveModel('native:mistral:7b', {
      baseURL: server.baseURL,
      providers: { native: createProvider },
    })
    expect(model.provider).toBe('ollama-native')
    expect((await model.generate({ messages: [{ role: 'user', content: 'x' }] })).text).toBe('after retry')
    expect(server.requests).toHaveLength(2)
  })
})
