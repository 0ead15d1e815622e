import { describe, expect, it } from 'vitest'
import { createOpenAI } from '../src/index.ts'
import { createOpenAICompatibleServer } from '../src/testing/index.ts'
import { failure, restoreEnvAfterEach, user } from './provider-call.ts'

restoreEnvAfterEach('OPENAI_API_KEY')

describe('createOpenAI', () => {
  it('reads OPENAI_API_KEY at call time, and names it when missing', async () => {
    await using server = await createOpenAICompatibleServer({ apiKey: 'sk-env' })
    delete process.env.OPENAI_API_KEY
    const model = createOpenAI({ baseURL: server.baseURL })
    const err = await failure(model.generate(user('hi')))
    expect(err.code).toBe('E_PROVIDER_AUTH')
    expect(err.message).toContain('OPENAI_API_KEY')
    expect(server.requests).toHaveLength(0)
    process.env.OPENAI_API_KEY = 'sk-env'
    expect((await model.generate(user('hi'))).text).toBe('echo: hi')
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-env')
  })

  it('names OPENAI_API_KEY when the server rejects the key', async () => {
    await using server = await createOpenAICompatibleServer({ apiKey: 'right' })
    const err = await failure(createOpenAI({ baseURL: server.baseURL, apiKey: 'wrong' }).generate(user('hi')))
    expect(err.code).toBe('E_PROVIDER_AUTH')
    expect(err.details.status).toBe(401)
    expect(err.message).toContain('set OPENAI_API_KEY')
  })

  it('prices gpt-4o-mini from the table, counting cached input at its own rate', async () => {
    await using server = await createOpenAICompatibleServer({
      replies: [
        { text: 'x', usage: { inputTokens: 1_000_000, outputTokens: 1_000_000, cachedInputTokens: 500_000 } },
      ],
    })
    const model = createOpenAI({ baseURL: server.baseURL, apiKey: 'k', model: 'gpt-4o-mini' })
    expect(model.contextWindow).toBe(128_000)
    const r = await model.generate(user('hi'))
    // 0.5M × $0.15 + 0.5M × $0.075 + 1M × $0.60
    expect(r.costUsd).toBeCloseTo(0.075 + 0.0375 + 0.6, 10)
  })

  it('uses a per-model price override and leaves unknown models unpriced', async () => {
    await using server = await createOpenAICompatibleServer({
      replies: () => ({ text: 'x', usage: { inputTokens: 2_000_000, outputTokens: 0 } }),
    })
    const priced = createOpenAI({
      baseURL: server.baseURL,
      apiKey: 'k',
      model: 'ft:custom',
      price: { inputPerMillion: 1, outputPerMillion: 2 },
    })
    expect((await priced.generate(user('a'))).costUsd).toBe(2)
    expect((await priced.languageModel('unknown-model').generate(user('b'))).costUsd).toBeUndefined()
  })

  it('sends the output budget as max_completion_tokens, with temperature and stop', async () => {
    await using server = await createOpenAICompatibleServer()
    await createOpenAI({ baseURL: server.baseURL, apiKey: 'k' }).generate({
      ...user('hi'),
      maxOutputTokens: 50,
      temperature: 0,
      stop: ['\n'],
    })
    expect(server.requests[0]?.body).toMatchObject({
      model: 'gpt-4o-mini',
      max_completion_tokens: 50,
      temperature: 0,
      stop: ['\n'],
    })
  })

  it('maps finish reasons', async () => {
    await using server = await createOpenAICompatibleServer({
      replies: [
        { text: 'a', finishReason: 'length' },
        { text: 'b', finishReason: 'content-filter' },
      ],
    })
    const model = createOpenAI({ baseURL: server.baseURL, apiKey: 'k' })
    expect((await model.generate(user('1'))).finishReason).toBe('length')
    expect((await model.generate(user('2'))).finishReason).toBe('content-filter')
  })
})
