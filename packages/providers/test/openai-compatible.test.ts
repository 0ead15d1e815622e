import net from 'node:net'
import type { RlmError } from '@rlm/errors'
import { describe, expect, it } from 'vitest'
import { createOpenAICompatible } from '../src/index.ts'
import { createOpenAICompatibleServer } from '../src/testing/index.ts'
import { failure, user } from './provider-call.ts'

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: 'localhost', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(true))
  })
}
const ollamaPortFree = await portIsFree(11434)

describe('createOpenAICompatible', () => {
  it('defaults to a local Ollama with mistral:7b', () => {
    const model = createOpenAICompatible()
    expect(model.provider).toBe('openai-compatible')
    expect(model.modelId).toBe('mistral:7b')
    expect(model.specificationVersion).toBe('v1')
  })

  it('returns the reply with usage, including cached tokens, and keeps the raw body', async () => {
    await using server = await createOpenAICompatibleServer({
      replies: [{ text: 'Paris', usage: { inputTokens: 20, outputTokens: 2, cachedInputTokens: 16 } }],
    })
    const model = createOpenAICompatible({ baseURL: server.baseURL, model: 'qwen2.5:7b' })
    const r = await model.generate(user('Capital of France?'))
    expect(r.text).toBe('Paris')
    expect(r.usage).toEqual({ inputTokens: 20, outputTokens: 2, cachedInputTokens: 16 })
    expect(r.finishReason).toBe('stop')
    expect(r.costUsd).toBeUndefined()
    expect((r.raw as { object: string }).object).toBe('chat.completion')
    expect(server.requests[0]?.model).toBe('qwen2.5:7b')
  })

  it('sends the system prompt as the first chat message and maxOutputTokens as max_tokens', async () => {
    await using server = await createOpenAICompatibleServer()
    const model = createOpenAICompatible({ baseURL: server.baseURL, model: 'm' })
    await model.generate({
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'hi' },
      ],
      maxOutputTokens: 12,
    })
    const body = server.requests[0]?.body as { messages: unknown[]; max_tokens: number }
    expect(body.messages[0]).toEqual({ role: 'system', content: 'Be terse.' })
    expect(body.max_tokens).toBe(12)
  })

  it('sends the key as a bearer token and custom headers', async () => {
    await using server = await createOpenAICompatibleServer({ apiKey: 'sk-local' })
    const model = createOpenAICompatible({
      baseURL: server.baseURL,
      apiKey: 'sk-local',
      headers: { 'x-team': 'rlm' },
    })
    await model.generate(user('hi'))
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-local')
    expect(server.requests[0]?.headers['x-team']).toBe('rlm')
  })

  it('sends every request through the fetch given in settings', async () => {
    await using server = await createOpenAICompatibleServer()
    const seen: string[] = []
    const model = createOpenAICompatible({
      baseURL: server.baseURL,
      fetch: (input, init) => {
        seen.push(String(input))
        return globalThis.fetch(input, init)
      },
    })
    expect((await model.generate(user('via global fetch'))).text).toBe('echo: via global fetch')
    expect(seen).toEqual([`${server.baseURL}/chat/completions`])
  })

  it('gives sibling models from languageModel() the same settings', async () => {
    await using server = await createOpenAICompatibleServer()
    const provider = createOpenAICompatible({ baseURL: server.baseURL, name: 'vllm' })
    const other = provider.languageModel('qwen2.5-72b')
    expect(other).toMatchObject({ provider: 'vllm', modelId: 'qwen2.5-72b' })
    await other.generate(user('x'))
    expect(server.requests[0]?.model).toBe('qwen2.5-72b')
  })

  it.each([
    [401, 'E_PROVIDER_AUTH', false],
    [403, 'E_PROVIDER_AUTH', false],
    [404, 'E_PROVIDER_BAD_REQUEST', false],
    [413, 'E_CONTEXT_WINDOW', false],
    [422, 'E_PROVIDER_BAD_REQUEST', false],
    [429, 'E_PROVIDER_RATE_LIMIT', true],
    [500, 'E_PROVIDER_UNAVAILABLE', true],
    [502, 'E_PROVIDER_UNAVAILABLE', true],
    [503, 'E_PROVIDER_UNAVAILABLE', true],
  ])('maps HTTP %i to %s (retryable: %s)', async (status, code, retryable) => {
    await using server = await createOpenAICompatibleServer({ faults: [{ status, message: 'scripted' }] })
    const model = createOpenAICompatible({ baseURL: server.baseURL, maxRetries: 0 })
    const err = await failure(model.generate(user('hi')))
    expect(err.code).toBe(code)
    expect(err.isRetryable).toBe(retryable)
    expect(err.details).toMatchObject({ status, provider: 'openai-compatible' })
    expect(err.message).toContain('scripted')
  })

  it('maps a 400 about the context length to E_CONTEXT_WINDOW', async () => {
    await using server = await createOpenAICompatibleServer({
      faults: [{ status: 400, message: 'prompt is too long: 9000 tokens > 8192 maximum' }],
    })
    const err = await failure(createOpenAICompatible({ baseURL: server.baseURL }).generate(user('x')))
    expect(err.code).toBe('E_CONTEXT_WINDOW')
  })

  it('retries a 429 after the retry-after delay, then succeeds', async () => {
    await using server = await createOpenAICompatibleServer({
      faults: [{ status: 429, headers: { 'retry-after': '0.2' } }],
      replies: ['ok now'],
    })
    const model = createOpenAICompatible({ baseURL: server.baseURL, maxRetries: 2 })
    const t0 = performance.now()
    const r = await model.generate(user('hi'))
    expect(r.text).toBe('ok now')
    expect(server.requests).toHaveLength(2)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190)
  })

  it('gives up with E_PROVIDER_RATE_LIMIT after maxRetries and says how many attempts it made', async () => {
    await using server = await createOpenAICompatibleServer({
      faults: Array.from({ length: 3 }, () => ({ status: 429, headers: { 'retry-after-ms': '5' } })),
    })
    const err = await failure(
      createOpenAICompatible({ baseURL: server.baseURL, maxRetries: 2 }).generate(user('hi')),
    )
    expect(err.code).toBe('E_PROVIDER_RATE_LIMIT')
    expect(err.details.attempts).toBe(3)
    expect(err.message).toContain('Gave up after 3 attempts')
    expect(server.requests).toHaveLength(3)
  })

  it('retries a reset connection', async () => {
    await using server = await createOpenAICompatibleServer({
      faults: [{ fault: 'reset' }],
      replies: ['recovered'],
    })
    const model = createOpenAICompatible({ baseURL: server.baseURL, maxRetries: 1 })
    expect((await model.generate(user('hi'))).text).toBe('recovered')
  })

  it('times out a silent server with E_PROVIDER_TIMEOUT', async () => {
    await using server = await createOpenAICompatibleServer({ faults: [{ fault: 'hang' }] })
    const model = createOpenAICompatible({ baseURL: server.baseURL, timeoutMs: 100, maxRetries: 0 })
    const err = await failure(model.generate(user('hi')))
    expect(err.code).toBe('E_PROVIDER_TIMEOUT')
    expect(err.isRetryable).toBe(true)
    expect(err.message).toContain('100 ms')
  })

  it('stops when the caller aborts, without retrying', async () => {
    await using server = await createOpenAICompatibleServer({ faults: [{ fault: 'hang' }] })
    const model = createOpenAICompatible({ baseURL: server.baseURL, maxRetries: 3 })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 20)
    const err = await failure(model.generate({ ...user('hi'), abortSignal: controller.signal }))
    expect(err.code).toBe('E_PROVIDER_ABORTED')
    expect(server.requests).toHaveLength(1)
  })

  it('maps malformed JSON and empty choices to E_PROVIDER_BAD_RESPONSE', async () => {
    await using server = await createOpenAICompatibleServer({
      faults: [{ fault: 'malformed-json' }, { fault: 'empty' }],
    })
    const model = createOpenAICompatible({ baseURL: server.baseURL })
    expect((await failure(model.generate(user('a')))).code).toBe('E_PROVIDER_BAD_RESPONSE')
    const empty = await failure(model.generate(user('b')))
    expect(empty.code).toBe('E_PROVIDER_BAD_RESPONSE')
    expect(empty.message).toContain('choices')
  })

  it('reports a refused connection as E_PROVIDER_UNAVAILABLE naming the server, without retrying', async () => {
    const server = await createOpenAICompatibleServer()
    await server.close()
    const model = createOpenAICompatible({ baseURL: server.baseURL, maxRetries: 3 })
    const t0 = performance.now()
    const err = await failure(model.generate(user('hi')))
    expect(err.code).toBe('E_PROVIDER_UNAVAILABLE')
    expect(err.isRetryable).toBe(false)
    expect(err.message).toContain(`is the server running at ${server.baseURL}?`)
    // Retrying would back off for at least 1.75 s (0.25 + 0.5 + 1 s minimum jitter).
    expect(performance.now() - t0).toBeLessThan(1500)
  })

  it.skipIf(!ollamaPortFree)('asks whether Ollama is running when the default server is down', async () => {
    const err = await failure(createOpenAICompatible().generate(user('hi')))
    expect(err.code).toBe('E_PROVIDER_UNAVAILABLE')
    expect(err.message).toContain('is Ollama running at http://localhost:11434?')
  })

  it('rejects invalid settings with E_CONFIG naming the field', () => {
    expect(() => createOpenAICompatible({ baseURL: 'not a url' })).toThrow(/baseURL/)
    try {
      createOpenAICompatible({ timeoutMs: -1 } as never)
    } catch (e) {
      expect((e as RlmError).code).toBe('E_CONFIG')
      expect((e as RlmError).message).toContain('timeoutMs')
    }
    expect.assertions(3)
  })
})
