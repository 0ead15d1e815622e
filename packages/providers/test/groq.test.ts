import { describe, expect, it } from 'vitest'
import { createGroq } from '../src/index.ts'
import { createGroqServer } from '../src/testing/index.ts'
import { failure, restoreEnvAfterEach, user } from './provider-call.ts'

restoreEnvAfterEach('GROQ_API_KEY')

describe('createGroq', () => {
  it('posts to /openai/v1/chat/completions with the default model and maps the reply', async () => {
    await using server = await createGroqServer({
      replies: [{ text: 'hey', usage: { inputTokens: 9, outputTokens: 1 } }],
    })
    const model = createGroq({ baseURL: server.baseURL, apiKey: 'gsk' })
    expect(model.modelId).toBe('llama-3.1-8b-instant')
    expect(model.contextWindow).toBe(131_072)
    const r = await model.generate({
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'hi' },
      ],
    })
    expect(r.text).toBe('hey')
    expect(r.usage).toEqual({ inputTokens: 9, outputTokens: 1 })
    expect(r.costUsd).toBeCloseTo((9 * 0.05 + 1 * 0.08) / 1e6, 15)
    expect(server.requests[0]?.path).toBe('/openai/v1/chat/completions')
    expect(server.requests[0]?.messages[0]).toEqual({ role: 'system', content: 'sys' })
    expect(server.requests[0]?.headers.authorization).toBe('Bearer gsk')
  })

  it('accepts a baseURL that already ends in /openai/v1', async () => {
    await using server = await createGroqServer()
    await createGroq({ baseURL: `${server.url}/openai/v1`, apiKey: 'k' }).generate(user('x'))
    expect(server.requests[0]?.path).toBe('/openai/v1/chat/completions')
  })

  it('reads GROQ_API_KEY at call time and names it when missing', async () => {
    await using server = await createGroqServer()
    delete process.env.GROQ_API_KEY
    const model = createGroq({ baseURL: server.baseURL })
    const err = await failure(model.generate(user('hi')))
    expect(err.code).toBe('E_PROVIDER_AUTH')
    expect(err.message).toContain('GROQ_API_KEY')
    process.env.GROQ_API_KEY = 'from-env'
    await model.generate(user('hi'))
    expect(server.requests[0]?.headers.authorization).toBe('Bearer from-env')
  })

  it.each([
    [401, 'E_PROVIDER_AUTH'],
    [429, 'E_PROVIDER_RATE_LIMIT'],
    [500, 'E_PROVIDER_UNAVAILABLE'],
    [413, 'E_CONTEXT_WINDOW'],
  ])('maps HTTP %i to %s', async (status, code) => {
    await using server = await createGroqServer({ faults: [{ status }] })
    const err = await failure(
      createGroq({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 }).generate(user('x')),
    )
    expect(err.code).toBe(code)
    expect(err.details).toMatchObject({ status, provider: 'groq' })
  })

  it('retries a 503 then succeeds, making exactly two requests', async () => {
    await using server = await createGroqServer({
      faults: [{ status: 503, headers: { 'retry-after': '0' } }],
    })
    const r = await createGroq({ baseURL: server.baseURL, apiKey: 'k' }).generate(user('again'))
    expect(r.text).toBe('echo: again')
    expect(server.requests).toHaveLength(2)
  })

  it('maps malformed JSON, timeouts and aborts', async () => {
    await using server = await createGroqServer({
      faults: [{ fault: 'malformed-json' }, { fault: 'hang' }, { fault: 'hang' }],
    })
    const model = createGroq({ baseURL: server.baseURL, apiKey: 'k', timeoutMs: 100, maxRetries: 0 })
    expect((await failure(model.generate(user('a')))).code).toBe('E_PROVIDER_BAD_RESPONSE')
    expect((await failure(model.generate(user('b')))).code).toBe('E_PROVIDER_TIMEOUT')
    const err = await failure(model.generate({ ...user('c'), abortSignal: AbortSignal.timeout(10) }))
    expect(err.code).toBe('E_PROVIDER_ABORTED')
  })
})
