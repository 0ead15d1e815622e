import { createOpenAI } from '@ai-sdk/openai'
import { APICallError } from '@ai-sdk/provider'
import { createRlm } from '@rlm/engine'
import { isRlmError } from '@rlm/errors'
import { resolveModel } from '@rlm/providers'
import { runConformance } from '@rlm/providers/testing'
import { MockLanguageModelV3, MockLanguageModelV4 } from 'ai/test'
import { describe, expect, it } from 'vitest'
import { aiSdkProvider, fromAiSdk } from '../src/index.ts'
import { mockModel, reply } from './mock-models.ts'

const js = (code: string) => '```js\n' + code + '\n```'

async function rejection(p: Promise<unknown>) {
  try {
    await p
  } catch (err) {
    return err
  }
  throw new Error('expected the call to fail')
}

describe('fromAiSdk', () => {
  it('sends messages, system prompt, max tokens and temperature; returns text, usage, finish reason and catalog cost', async () => {
    const sdk = mockModel([reply('Hi there.', { input: 1000, output: 200, cacheRead: 400 }, 'length')])
    const model = fromAiSdk(sdk)
    expect(model).toMatchObject({ specificationVersion: 'v1', provider: 'openai', modelId: 'gpt-4o-mini' })
    expect(model.price).toBeDefined()
    const r = await model.generate({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
      maxOutputTokens: 64,
      temperature: 0.2,
      stop: ['END'],
    })
    expect(r.text).toBe('Hi there.')
    expect(r.usage).toEqual({ inputTokens: 1000, outputTokens: 200, cachedInputTokens: 400 })
    expect(r.finishReason).toBe('length')
    expect(r.costUsd).toBeGreaterThan(0)
    const call = sdk.doGenerateCalls[0]!
    expect(call.maxOutputTokens).toBe(64)
    expect(call.temperature).toBe(0.2)
    expect(call.stopSequences).toEqual(['END'])
    expect(call.prompt).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
    ])
  })

  it('takes options.price over the catalog, and leaves cost undefined when no price is known', async () => {
    const priced = fromAiSdk(mockModel([reply('a', { input: 1_000_000, output: 0 })]), {
      price: { inputPerMillion: 2, outputPerMillion: 8 },
    })
    expect((await priced.generate({ messages: [{ role: 'user', content: 'x' }] })).costUsd).toBe(2)
    const unknown = fromAiSdk(mockModel([reply('a')], { provider: 'acme.chat', modelId: 'acme-1' }))
    expect(unknown.provider).toBe('acme')
    expect(unknown.price).toBeUndefined()
    expect((await unknown.generate({ messages: [{ role: 'user', content: 'x' }] })).costUsd).toBeUndefined()
  })

  it('accepts a V3 model', async () => {
    const v3 = new MockLanguageModelV3({
      doGenerate: reply('from v3') as never,
    })
    const r = await fromAiSdk(v3).generate({ messages: [{ role: 'user', content: 'x' }] })
    expect(r.text).toBe('from v3')
  })

  it.each([
    [401, false, 'E_PROVIDER_AUTH'],
    [429, true, 'E_PROVIDER_RATE_LIMIT'],
    [503, true, 'E_PROVIDER_UNAVAILABLE'],
    [400, false, 'E_PROVIDER_BAD_REQUEST'],
  ])('maps APICallError status %i to our code, keeping isRetryable', async (status, retryable, code) => {
    const sdk = new MockLanguageModelV4({
      doGenerate: async () => {
        throw new APICallError({
          message: 'nope',
          url: 'http://x',
          requestBodyValues: {},
          statusCode: status,
          responseBody: '{"error":{"message":"server says no"}}',
          isRetryable: retryable,
        })
      },
    })
    const err = await rejection(fromAiSdk(sdk).generate({ messages: [{ role: 'user', content: 'x' }] }))
    expect(isRlmError(err) && err.code).toBe(code)
    expect(isRlmError(err) && err.isRetryable).toBe(retryable)
    expect(isRlmError(err) && err.details.status).toBe(status)
    expect((err as Error).message).toContain('server says no')
  })

  it('passes the abort signal and reports E_PROVIDER_ABORTED', async () => {
    const sdk = new MockLanguageModelV4({
      doGenerate: ({ abortSignal }) =>
        new Promise((_, reject) => {
          if (abortSignal?.aborted) reject(abortSignal.reason)
          abortSignal?.addEventListener('abort', () => reject(abortSignal.reason))
        }),
    })
    const controller = new AbortController()
    const pending = fromAiSdk(sdk).generate({
      messages: [{ role: 'user', content: 'x' }],
      abortSignal: controller.signal,
    })
    controller.abort()
    const err = await rejection(pending)
    expect(isRlmError(err) && err.code).toBe('E_PROVIDER_ABORTED')
  })

  it('runs as model and subModel of createRlm', async () => {
    const root = mockModel([
      reply(js('const a = await llm_query("Summarize: " + context)\nFINAL("sub said " + a)')),
    ])
    const sub = mockModel([reply('a summary')])
    const rlm = createRlm({ model: fromAiSdk(root), subModel: fromAiSdk(sub) })
    const result = await rlm.run({ query: 'Summarize', context: 'some text' })
    expect(result.status).toBe('final')
    expect(result.answer).toBe('sub said a summary')
    expect(result.subCalls).toBe(1)
    expect(result.usage.calls).toBe(2)
    expect(result.usage.costUsd).toBeGreaterThan(0)
    expect(JSON.stringify(sub.doGenerateCalls[0]!.prompt)).toContain('Summarize: some text')
  })

  it("resolves 'ai-sdk:<provider>:<model>' ids through resolveModel's providers option", async () => {
    const made: string[] = []
    const openai = (id: string) => {
      made.push(id)
      return mockModel([reply('resolved')], { provider: 'openai.chat', modelId: id })
    }
    const providers = { 'ai-sdk': aiSdkProvider({ openai }) }
    const model = await resolveModel('ai-sdk:openai:gpt-4o-mini', { providers })
    expect(model).toMatchObject({ provider: 'openai', modelId: 'gpt-4o-mini' })
    expect((await model.generate({ messages: [{ role: 'user', content: 'x' }] })).text).toBe('resolved')
    expect(made).toEqual(['gpt-4o-mini'])
    const err = await rejection(resolveModel('ai-sdk:google:gemini-2.5-flash', { providers }))
    expect(isRlmError(err) && err.code).toBe('E_CONFIG')
    expect((err as Error).message).toContain('registered: openai')
  })

  it('passes the @rlm/providers conformance suite over @ai-sdk/openai on a loopback server', async () => {
    const report = await runConformance({
      wire: 'openai',
      createModel: (s) =>
        fromAiSdk(createOpenAI({ baseURL: s.baseURL, apiKey: s.apiKey }).chat(s.model), {
          provider: 'openai',
        }),
    })
    expect(report.failed).toEqual([])
    expect(report.passed.length).toBeGreaterThan(5)
  }, 30_000)
})
