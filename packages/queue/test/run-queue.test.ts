import { RlmError } from '@rlm/errors'
import { describe, expect, it } from 'vitest'
import {
  createRunQueue,
  createRunWorker,
  type RunJobEvent,
  type RunQueue,
  type RunWorker,
} from '../src/index.ts'
import { js, scriptedRunner, useRedisServer } from './queue-fixture.ts'

const redis = useRedisServer()

const config = { model: 'scripted:test' }
let n = 0
const fresh = (): string => `q${++n}`

async function withQueue<T>(
  runner: Parameters<typeof createRunWorker>[0]['createRunner'] | undefined,
  body: (queue: RunQueue, worker: RunWorker | undefined) => Promise<T>,
  attempts = 2,
): Promise<T> {
  const name = fresh()
  const queue = createRunQueue({ redis: redis().url, name, attempts })
  const worker = runner ? createRunWorker({ redis: redis().url, name, createRunner: runner }) : undefined
  try {
    return await body(queue, worker)
  } finally {
    await worker?.close()
    await queue.close()
  }
}

describe('createRunQueue + createRunWorker', () => {
  it('runs a submitted job to completion and wait() follows its events live', async () => {
    await withQueue(scriptedRunner([js('FINAL("forty-two")')]), async (queue) => {
      const { id } = await queue.submit({
        query: 'what is it?',
        context: { kind: 'inline', text: 'ctx' },
        config,
      })
      const events: RunJobEvent[] = []
      const info = await queue.wait(id, { onEvent: (e) => events.push(e) })
      expect(info.state).toBe('completed')
      expect(info.result).toMatchObject({ answer: 'forty-two', status: 'final' })
      expect(info.result?.usage.inputTokens).toBeGreaterThan(0)
      const kinds = events.map((e) => (e.type === 'job' ? `job:${e.state}` : `run:${String(e.event.type)}`))
      expect(kinds[0]).toBe('job:waiting')
      expect(kinds).toContain('job:active')
      expect(kinds).toContain('run:run_start')
      expect(kinds).toContain('run:run_end')
      expect(kinds.at(-1)).toBe('job:completed')
      const got = await queue.get(id)
      expect(got?.state).toBe('completed')
      expect(got?.progress.length).toBeGreaterThan(0)
      expect((await queue.list({ states: ['completed'] })).map((j) => j.id)).toEqual([id])
    })
  })

  it('rejects an invalid job with E_CONFIG naming the field, before it reaches Redis', async () => {
    await withQueue(undefined, async (queue) => {
      await expect(
        queue.submit({ query: '', context: { kind: 'inline', text: '' }, config } as never),
      ).rejects.toMatchObject({ code: 'E_CONFIG', message: expect.stringContaining('query') })
      await expect(
        queue.submit({
          query: 'q',
          context: { kind: 'inline', text: '' },
          config: { model: 'scripted:x', maxDepth: 0 },
        }),
      ).rejects.toMatchObject({ code: 'E_CONFIG', message: expect.stringContaining('maxDepth') })
      await expect(
        queue.submit({
          query: 'q',
          context: { kind: 'inline', text: '' },
          config: { model: 'scripted:x', bogus: 1 } as never,
        }),
      ).rejects.toMatchObject({ code: 'E_CONFIG' })
      expect(await queue.list()).toEqual([])
    })
  })

  it('refuses an inline context over the cap with E_QUEUE_CONTEXT_TOO_LARGE', async () => {
    const queue = createRunQueue({ redis: redis().url, name: fresh(), maxInlineBytes: 10 })
    try {
      await expect(
        queue.submit({ query: 'q', context: { kind: 'inline', text: 'x'.repeat(11) }, config }),
      ).rejects.toMatchObject({ code: 'E_QUEUE_CONTEXT_TOO_LARGE' })
    } finally {
      await queue.close()
    }
  })

  it('rejects a bad Redis URL with E_CONFIG', () => {
    expect(() => createRunQueue({ redis: 'http://x' })).toThrow(/redis:\/\//)
    expect(() => createRunWorker({ redis: '' })).toThrow(/Redis URL/)
  })

  it('cancels a waiting job by removing it', async () => {
    await withQueue(undefined, async (queue) => {
      const { id } = await queue.submit({ query: 'q', context: { kind: 'inline', text: '' }, config })
      expect(await queue.cancel(id)).toBe(true)
      expect(await queue.get(id)).toBeUndefined()
      expect((await queue.wait(id)).state).toBe('cancelled')
      expect(await queue.cancel('no-such-job')).toBe(false)
    })
  })

  it('cancels an active job on its worker, through the run signal', async () => {
    // The root model takes 30 s per turn unless the run is cancelled.
    await withQueue(
      scriptedRunner(() => js('FINAL("late")'), 30_000),
      async (queue) => {
        const { id } = await queue.submit({ query: 'q', context: { kind: 'inline', text: '' }, config })
        const started = Date.now()
        const done = queue.wait(id, {
          onEvent: (e) => {
            if (e.type === 'run' && e.event.type === 'iteration_start') void queue.cancel(id)
          },
        })
        const info = await done
        expect(info.state).toBe('cancelled')
        expect(info.error?.code).toBe('E_ABORTED')
        expect(Date.now() - started).toBeLessThan(20_000)
        expect(await queue.cancel(id)).toBe(false)
      },
    )
  })

  it('dead-letters a job after its attempts with the last error code, and retry() queues it again', async () => {
    let calls = 0
    const runner = scriptedRunner(() => {
      calls++
      return calls <= 2 ? Object.assign(new Error('down'), {}) : js('FINAL("back")')
    })
    await withQueue(
      async (ctx) => {
        const rlm = await runner(ctx)
        return rlm
      },
      async (queue) => {
        const { id } = await queue.submit({ query: 'q', context: { kind: 'inline', text: '' }, config })
        const failed = await queue.wait(id)
        expect(failed.state).toBe('failed')
        expect(failed.attempts).toBe(2)
        expect(failed.error?.code).toBe('E_PROVIDER_UNAVAILABLE')
        expect((await queue.list({ states: ['failed'] })).map((j) => j.id)).toContain(id)
        expect(await queue.retry(id)).toBe(true)
        const again = await queue.wait(id)
        expect(again.state).toBe('completed')
        expect(again.result?.answer).toBe('back')
        expect(await queue.retry(id)).toBe(false)
      },
      2,
    )
  })

  it('fails a job at once on a final error code (E_CONFIG), without more attempts', async () => {
    await withQueue(
      () => {
        throw new RlmError('E_CONFIG', 'no such model')
      },
      async (queue) => {
        const { id } = await queue.submit({ query: 'q', context: { kind: 'inline', text: '' }, config })
        const info = await queue.wait(id)
        expect(info).toMatchObject({
          state: 'failed',
          attempts: 1,
          error: { code: 'E_CONFIG', message: 'no such model' },
        })
      },
      3,
    )
  })

  it('refuses a url context outside the worker allowlist with E_QUEUE_URL_NOT_ALLOWED, at once', async () => {
    await withQueue(
      scriptedRunner([js('FINAL("x")')]),
      async (queue) => {
        const { id } = await queue.submit({
          query: 'q',
          context: { kind: 'url', url: 'http://127.0.0.1:1/x' },
          config,
        })
        const info = await queue.wait(id)
        expect(info).toMatchObject({
          state: 'failed',
          attempts: 1,
          error: { code: 'E_QUEUE_URL_NOT_ALLOWED' },
        })
      },
      3,
    )
  })

  it('close({ graceful: false }) hands the running job back; another worker replays it from the journal', async () => {
    const name = fresh()
    const queue = createRunQueue({ redis: redis().url, name })
    const turnsOf = (req: { messages: { role: string }[] }): number =>
      req.messages.filter((m) => m.role === 'assistant').length
    const script = (turn: number): string => (turn < 2 ? js(`print(${turn})`) : js('FINAL("handed over")'))
    let first: RunWorker | undefined
    let handedBack: Promise<void> | undefined
    // The first worker shuts down (not gracefully) when the run asks for its second turn.
    first = createRunWorker({
      redis: redis().url,
      name,
      createRunner: scriptedRunner((req) => {
        if (turnsOf(req) === 1) handedBack ??= first?.close({ graceful: false })
        return script(turnsOf(req))
      }, 20),
    })
    const second = { worker: undefined as RunWorker | undefined }
    try {
      const { id } = await queue.submit({ query: 'q', context: { kind: 'inline', text: '' }, config })
      while (!handedBack) await new Promise((r) => setTimeout(r, 20))
      await handedBack
      expect((await queue.get(id))?.state).toBe('waiting')
      second.worker = createRunWorker({
        redis: redis().url,
        name,
        createRunner: scriptedRunner((req) => script(turnsOf(req))),
      })
      const info = await queue.wait(id)
      expect(info.state).toBe('completed')
      expect(info.result?.answer).toBe('handed over')
      // the first turn at least (the second too when its answer was journaled before the abort)
      expect(info.result?.replayedCalls).toBeGreaterThanOrEqual(1)
    } finally {
      await second.worker?.close()
      await queue.close()
    }
  })
})
