import { PROMPT_VERSION } from '@rlm/engine'
import { createScripted, VOLATILE_LINE_MARK } from '@rlm/providers'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openJournal, withJournal } from '../src/index.ts'
import { type RedisServer, startRedisServer } from '../src/testing/index.ts'

let server: RedisServer
let redis: Redis
beforeAll(async () => {
  server = await startRedisServer()
  redis = new Redis(server.url)
})
afterAll(async () => {
  redis?.disconnect()
  await server?.close()
})

const ask = (text: string, temperature?: number) => ({
  messages: [{ role: 'user' as const, content: text }],
  ...(temperature !== undefined && { temperature }),
})

describe('withJournal', () => {
  it('replays every recorded response, identical requests at temperature > 0 as separate entries', async () => {
    let n = 0
    const first = createScripted(() => `reply ${++n}`)
    const journal = await openJournal(redis, 'j:1', 60)
    const model = withJournal(first, journal)
    const a = await model.generate(ask('same', 1))
    const b = await model.generate(ask('same', 1))
    const c = await model.generate(ask('other'))
    expect([a.text, b.text, c.text]).toEqual(['reply 1', 'reply 2', 'reply 3'])

    // A second worker replays: the provider sees only the call after the recorded ones.
    const second = createScripted(() => 'fresh')
    const replayJournal = await openJournal(redis, 'j:1', 60)
    expect(replayJournal.recorded).toBe(3)
    const replay = withJournal(second, replayJournal)
    const replies = [
      await replay.generate(ask('same', 1)),
      await replay.generate(ask('same', 1)),
      await replay.generate(ask('other')),
      await replay.generate(ask('same', 1)),
    ].map((r) => r.text)
    expect(replies).toEqual(['reply 1', 'reply 2', 'reply 3', 'fresh'])
    expect(second.requests).toHaveLength(1)
    expect(replayJournal.replayed).toBe(3)
  })

  it('leaves the volatile status line out of the request identity', async () => {
    const journal = await openJournal(redis, 'j:2', 60)
    await withJournal(createScripted(['recorded']), journal).generate(
      ask(`${VOLATILE_LINE_MARK} 12 s left\nquestion`),
    )
    const provider = createScripted(['again'])
    const replay = withJournal(provider, await openJournal(redis, 'j:2', 60))
    const r = await replay.generate(ask(`${VOLATILE_LINE_MARK} 3 s left\nquestion`))
    expect(r.text).toBe('recorded')
    expect(provider.requests).toHaveLength(0)
  })

  it('refuses a journal written under another prompt version (E_QUEUE_PROMPT_VERSION)', async () => {
    await redis.hset('j:3', 'meta', JSON.stringify({ promptVersion: 'rlm-js-0.0.1' }))
    await expect(openJournal(redis, 'j:3', 60)).rejects.toMatchObject({
      code: 'E_QUEUE_PROMPT_VERSION',
      message: expect.stringContaining(PROMPT_VERSION),
    })
  })

  it('does not record a failed call: the replay calls the provider for it again', async () => {
    const journal = await openJournal(redis, 'j:4', 60)
    await expect(
      withJournal(createScripted([new Error('boom')]), journal).generate(ask('x')),
    ).rejects.toThrow()
    const provider = createScripted(['ok'])
    const r = await withJournal(provider, await openJournal(redis, 'j:4', 60)).generate(ask('x'))
    expect(r.text).toBe('ok')
    expect(provider.requests).toHaveLength(1)
  })
})
