// Redis stopped with SIGTERM (append-only file on) and started again mid-run: the running job,
// the waiting ones and the caller following them all carry on once Redis is back.
import { createOpenAICompatibleServer, type ReceivedRequest } from '@rlm/providers/testing'
import { describe, expect, it } from 'vitest'
import { createRunQueue, createRunWorker } from '../src/index.ts'
import { js, useRedisServer } from './queue-fixture.ts'

const redis = useRedisServer({ appendOnly: true })

const turns = (r: ReceivedRequest): number => r.messages.filter((m) => m.role === 'assistant').length
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('Redis restart', () => {
  it('jobs resume after Redis is stopped with SIGTERM and started again mid-run', async () => {
    let restarted: Promise<void> | undefined
    await using server = await createOpenAICompatibleServer({
      replies: (req) => {
        const turn = turns(req)
        // The first job's second turn: Redis goes away for 1.5 s while the run goes on.
        if (turn === 1 && !restarted) {
          restarted = redis()
            .stop()
            .then(() => sleep(1_500))
            .then(() => redis().start())
        }
        return { text: js(turn < 3 ? `print(${turn})` : 'FINAL("done")'), delayMs: 50 }
      },
    })
    const name = 'restart'
    const queue = createRunQueue({ redis: redis().url, name })
    const worker = createRunWorker({
      redis: redis().url,
      name,
      lockDurationMs: 10_000,
      stalledIntervalMs: 2_000,
    })
    try {
      const ids: string[] = []
      for (let i = 0; i < 3; i++) {
        const { id } = await queue.submit({
          query: `job ${i}`,
          context: { kind: 'inline', text: 'c' },
          config: { model: `openai-compatible:m@${server.baseURL}` },
        })
        ids.push(id)
      }
      const infos = await Promise.all(ids.map((id) => queue.wait(id)))
      expect(restarted).toBeDefined()
      await restarted
      expect(infos.map((i) => i.state)).toEqual(['completed', 'completed', 'completed'])
      expect(infos.map((i) => i.result?.answer)).toEqual(['done', 'done', 'done'])
    } finally {
      await worker.close()
      await queue.close()
    }
  }, 120_000)
})
