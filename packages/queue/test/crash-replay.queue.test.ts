// A worker killed with SIGKILL mid-run loses nothing but time: the job finishes on another worker,
// which serves every completed model call from the journal, so the model server never sees a
// completed request twice (only the one in flight at the kill may come again).
import { stableContent } from '@rlm/providers'
import { createOpenAICompatibleServer, type ReceivedRequest } from '@rlm/providers/testing'
import { describe, expect, it } from 'vitest'
import { createRunQueue, createRunWorker } from '../src/index.ts'
import { js, useRedisServer } from './queue-fixture.ts'
import { startWorkerProcess, type WorkerProcess } from './worker-process.ts'

const redis = useRedisServer()

const isSub = (r: ReceivedRequest): boolean => r.messages[0]?.role !== 'system'
const turns = (r: ReceivedRequest): number => r.messages.filter((m) => m.role === 'assistant').length
const identity = (r: ReceivedRequest): string =>
  JSON.stringify(r.messages.map((m) => [m.role, stableContent(m.content)]))

const ROOT_TURNS = [
  'const r = await llm_query_batched(["s1", "s2", "s3"])\nprint(r.join(","))',
  // The guest's Math.random and Date are seeded per job: the replay's prompts are the same.
  'print(Math.random(), new Date().toISOString(), Date.now())',
  'const x = await llm_query("s4")\nprint(x)',
  'print("four")', // the worker is killed when this turn is asked for
  'FINAL("done " + 5)',
]
const KILL_AT_TURN = 3

describe('crash safety', () => {
  it('a worker killed with SIGKILL mid-run: another worker finishes the job, no completed call is sent twice', async () => {
    let victim: WorkerProcess | undefined
    let killedAt = -1
    await using server = await createOpenAICompatibleServer({
      replies: (req) => {
        if (isSub(req)) return { text: `sub:${req.messages.at(-1)?.content ?? ''}`, delayMs: 20 }
        const turn = turns(req)
        if (turn === KILL_AT_TURN && killedAt < 0 && victim) {
          killedAt = req.index
          victim.child.kill('SIGKILL')
        }
        return { text: js(ROOT_TURNS[turn] ?? 'FINAL("too many turns")'), delayMs: 20 }
      },
    })
    const name = 'crash'
    const common = { redis: redis().url, name, lockDurationMs: 1_500, stalledIntervalMs: 500 }
    const queue = createRunQueue({ redis: redis().url, name, attempts: 3 })
    victim = await startWorkerProcess(common)
    const { id } = await queue.submit({
      query: 'count',
      context: { kind: 'inline', text: 'some context' },
      config: { model: `openai-compatible:m@${server.baseURL}`, maxIterations: 10 },
    })
    expect(await victim.exited).toBe('SIGKILL')
    const survivor = createRunWorker(common)
    try {
      const info = await queue.wait(id)
      expect(info.state).toBe('completed')
      expect(info.result?.answer).toBe('done 5')
      expect(info.attempts).toBeGreaterThanOrEqual(2)
      // root turns 0-2 and the four sub-calls were journaled before the kill
      expect(info.result?.replayedCalls).toBe(7)
    } finally {
      await survivor.close()
      await queue.close()
    }
    const before = server.requests.filter((r) => r.index < killedAt)
    expect(before).toHaveLength(7)
    const seen = new Map<string, number>()
    for (const r of server.requests) seen.set(identity(r), (seen.get(identity(r)) ?? 0) + 1)
    for (const r of before) expect(seen.get(identity(r)), `request #${r.index} sent again`).toBe(1)
    // the turn in flight at the kill was asked again, then the last one
    expect(server.requests.filter((r) => !isSub(r) && turns(r) >= KILL_AT_TURN).length).toBeLessThanOrEqual(3)
  }, 120_000)

  it('a worker process stopped with SIGTERM finishes its current job, then exits 0', async () => {
    let worker: WorkerProcess | undefined
    await using server = await createOpenAICompatibleServer({
      replies: (req) => {
        const turn = turns(req)
        if (turn === 1) worker?.child.kill('SIGTERM')
        return { text: js(turn < 2 ? `print(${turn})` : 'FINAL("finished")'), delayMs: 100 }
      },
    })
    const name = 'sigterm'
    const queue = createRunQueue({ redis: redis().url, name })
    worker = await startWorkerProcess({ redis: redis().url, name })
    try {
      const { id } = await queue.submit({
        query: 'q',
        context: { kind: 'inline', text: 'c' },
        config: { model: `openai-compatible:m@${server.baseURL}` },
      })
      const workers = new Set<string>()
      const info = await queue.wait(id, {
        onEvent: (e) => e.type === 'job' && e.worker && workers.add(e.worker),
      })
      expect(info).toMatchObject({ state: 'completed', attempts: 1, result: { answer: 'finished' } })
      expect([...workers]).toEqual([worker.id])
      expect(await worker.exited).toBe(0)
    } finally {
      await queue.close()
    }
  }, 60_000)
})
