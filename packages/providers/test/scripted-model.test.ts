import { RlmError } from '@rlm/errors'
import { describe, expect, it } from 'vitest'
import { createScripted } from '../src/index.ts'

describe('createScripted', () => {
  it('answers from a list in order and records every request without its signal', async () => {
    const model = createScripted([
      'one',
      { text: 'two', finishReason: 'length', usage: { inputTokens: 3, outputTokens: 4 } },
    ])
    const a = await model.generate({
      messages: [{ role: 'user', content: 'first' }],
      abortSignal: new AbortController().signal,
    })
    const b = await model.generate({ messages: [{ role: 'user', content: 'second' }], temperature: 0 })
    expect(a).toMatchObject({ text: 'one', finishReason: 'stop', costUsd: 0 })
    expect(b).toMatchObject({
      text: 'two',
      finishReason: 'length',
      usage: { inputTokens: 3, outputTokens: 4 },
    })
    expect(model.requests).toEqual([
      { messages: [{ role: 'user', content: 'first' }] },
      { messages: [{ role: 'user', content: 'second' }], temperature: 0 },
    ])
    expect(model.specificationVersion).toBe('v1')
  })

  it('says it ran out of replies with E_CONFIG', async () => {
    const model = createScripted(['only'])
    await model.generate({ messages: [] })
    await expect(model.generate({ messages: [] })).rejects.toMatchObject({
      code: 'E_CONFIG',
      message: expect.stringContaining('1 replies'),
    })
  })

  it('answers from a function of the request and throws scripted errors', async () => {
    const model = createScripted((request, index) =>
      index === 1
        ? new RlmError('E_PROVIDER_RATE_LIMIT', 'slow down', { isRetryable: true })
        : `len ${request.messages.length}`,
    )
    expect((await model.generate({ messages: [{ role: 'user', content: 'x' }] })).text).toBe('len 1')
    await expect(model.generate({ messages: [] })).rejects.toMatchObject({ code: 'E_PROVIDER_RATE_LIMIT' })
  })

  it('waits latencyMs and stops early on abort', async () => {
    const model = createScripted(() => 'x', { latencyMs: 60 })
    const t0 = performance.now()
    await model.generate({ messages: [] })
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55)
    await expect(model.generate({ messages: [], abortSignal: AbortSignal.timeout(5) })).rejects.toMatchObject(
      {
        code: 'E_PROVIDER_ABORTED',
      },
    )
  })
})
