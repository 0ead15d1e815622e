import { describe, expect, it } from 'vitest'
import { createAnthropic } from '../src/index.ts'
import { createAnthropicServer } from '../src/testing/index.ts'
import { failure, restoreEnvAfterEach, user } from './provider-call.ts'

restoreEnvAfterEach('ANTHROPIC_API_KEY')

describe('createAnthropic', () => {
  it('puts system messages in the system field and merges same-role turns', async () => {
    await using server = await createAnthropicServer()
    const model = createAnthropic({ baseURL: server.baseURL, apiKey: 'ak', model: 'claude-haiku-4-5' })
    await model.generate({
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'part 1' },
        { role: 'user', content: 'part 2' },
        { role: 'system', content: 'Answer in French.' },
      ],
      stop: ['###'],
      temperature: 0,
    })
    const body = server.requests[0]?.body as Record<string, unknown>
    expect(server.requests[0]?.path).toBe('/v1/messages')
    expect(body.system).toBe('You are terse.\n\nAnswer in French.')
    expect(body.messages).toEqual([{ role: 'user', content: 'part 1\n\npart 2' }])
    expect(body).toMatchObject({
      model: 'claude-haiku-4-5',
      max_tokens: 4096,
      stop_sequences: ['###'],
      temperature: 0,
    })
    expect(server.requests[0]?.headers['x-api-key']).toBe('ak')
    expect(server.requests[0]?.headers['anthropic-version']).toBeTypeOf('string')
  })

  it('maps text, stop reason and usage including prompt-cache reads, and prices it', async () => {
    await using server = await createAnthropicServer({
      replies: [
        {
          text: 'Bonjour',
          usage: { inputTokens: 1_000_000, outputTokens: 1_000_000, cachedInputTokens: 400_000 },
        },
        { text: 'cut', finishReason: 'length' },
      ],
    })
    const model = createAnthropic({ baseURL: server.baseURL, apiKey: 'ak', model: 'claude-haiku-4-5' })
    const r = await model.generate({ ...user('hi'), maxOutputTokens: 100 })
    expect(r.text).toBe('Bonjour')
    expect(r.finishReason).toBe('stop')
    expect(r.usage).toEqual({ inputTokens: 1_000_000, outputTokens: 1_000_000, cachedInputTokens: 400_000 })
    expect(r.costUsd).toBeCloseTo(0.6 * 1 + 0.4 * 0.1 + 5, 10)
    expect(server.requests[0]?.maxOutputTokens).toBe(100)
    expect((await model.generate(user('more'))).finishReason).toBe('length')
  })

  it('accepts a baseURL that already ends in /v1', async () => {
    await using server = await createAnthropicServer()
    await createAnthropic({ baseURL: `${server.url}/v1`, apiKey: 'k' }).generate(user('x'))
    expect(server.requests[0]?.path).toBe('/v1/messages')
  })

  it('reads ANTHROPIC_API_KEY at call time and names it when missing', async () => {
    await using server = await createAnthropicServer({ apiKey: 'env-key' })
    delete process.env.ANTHROPIC_API_KEY
    const model = createAnthropic({ baseURL: server.baseURL })
    expect((await failure(model.generate(user('hi')))).message).toContain('ANTHROPIC_API_KEY')
    process.env.ANTHROPIC_API_KEY = 'env-key'
    expect((await model.generate(user('hi'))).text).toBe('echo: hi')
  })

  it.each([
    [401, 'E_PROVIDER_AUTH', false],
    [429, 'E_PROVIDER_RATE_LIMIT', true],
    [500, 'E_PROVIDER_UNAVAILABLE', true],
    [529, 'E_PROVIDER_UNAVAILABLE', true],
    [400, 'E_PROVIDER_BAD_REQUEST', false],
  ])('maps HTTP %i to %s', async (status, code, retryable) => {
    await using server = await createAnthropicServer({ faults: [{ status }] })
    const err = await failure(
      createAnthropic({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 }).generate(user('x')),
    )
    expect(err.code).toBe(code)
    expect(err.isRetryable).toBe(retryable)
    expect(err.details).toMatchObject({ status, provider: 'anthropic' })
  })

  it('maps "prompt is too long" to E_CONTEXT_WINDOW', async () => {
    await using server = await createAnthropicServer({
      faults: [{ status: 400, message: 'prompt is too long: 210000 tokens > 200000 maximum' }],
    })
    const err = await failure(createAnthropic({ baseURL: server.baseURL, apiKey: 'k' }).generate(user('x')))
    expect(err.code).toBe('E_CONTEXT_WINDOW')
  })

  it('retries a 429 honouring retry-after, then succeeds', async () => {
    await using server = await createAnthropicServer({
      faults: [{ status: 429, headers: { 'retry-after': '0' } }],
      replies: ['second time lucky'],
    })
    const r = await createAnthropic({ baseURL: server.baseURL, apiKey: 'k' }).generate(user('x'))
    expect(r.text).toBe('second time lucky')
    expect(server.requests).toHaveLength(2)
  })

  it('maps malformed JSON, a content-less body, timeouts and aborts', async () => {
    await using server = await createAnthropicServer({
      faults: [{ fault: 'malformed-json' }, { fault: 'empty' }, { fault: 'hang' }, { fault: 'hang' }],
    })
    const model = createAnthropic({ baseURL: server.baseURL, apiKey: 'k', timeoutMs: 100, maxRetries: 0 })
    expect((await failure(model.generate(user('a')))).code).toBe('E_PROVIDER_BAD_RESPONSE')
    expect((await failure(model.generate(user('b')))).code).toBe('E_PROVIDER_BAD_RESPONSE')
    expect((await failure(model.generate(user('c')))).code).toBe('E_PROVIDER_TIMEOUT')
    const err = await failure(model.generate({ ...user('d'), abortSignal: AbortSignal.timeout(10) }))
    expect(err.code).toBe('E_PROVIDER_ABORTED')
  })

  it('accepts a Messages body without usage from a minimal server, counting zero tokens', async () => {
    await using server = await createAnthropicServer({
      replies: [
        {
          status: 200,
          body: {
            type: 'message',
            role: 'assistant',
            content: [{ type: 'text', text: 'hi' }],
            stop_reason: 'end_turn',
          },
        },
      ],
    })
    const r = await createAnthropic({ baseURL: server.baseURL, apiKey: 'k' }).generate(user('x'))
    expect(r).toMatchObject({ text: 'hi', usage: { inputTokens: 0, outputTokens: 0 }, finishReason: 'stop' })
  })

  it('reports a refused connection as E_PROVIDER_UNAVAILABLE', async () => {
    const server = await createAnthropicServer()
    await server.close()
    const err = await failure(createAnthropic({ baseURL: server.baseURL, apiKey: 'k' }).generate(user('x')))
    expect(err.code).toBe('E_PROVIDER_UNAVAILABLE')
    expect(err.message).toContain(server.baseURL)
  })
})
