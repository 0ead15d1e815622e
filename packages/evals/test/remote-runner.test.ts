import { RlmError } from '@rlm/errors'
import { describe, expect, it } from 'vitest'
import { type RlmTaskRunner, runEval } from '../src/index.ts'

/** A runner that answers each task with its expected answer after a delay that varies per task. */
function answering(calls: string[], inFlight: { now: number; max: number }): RlmTaskRunner {
  return async (task, { onEvent }) => {
    calls.push(task.id)
    inFlight.now++
    inFlight.max = Math.max(inFlight.max, inFlight.now)
    await new Promise((r) => setTimeout(r, 5 + ((task.index * 37) % 30)))
    inFlight.now--
    onEvent({ type: 'notice', runId: 'r', nodeId: '0', depth: 0, timestamp: 0, iteration: 1, message: 'hi' })
    return {
      answer: task.answer,
      status: 'final',
      usage: { inputTokens: 10, outputTokens: 2, costUsd: 0, unpricedCalls: 0 },
      subCalls: 3,
      iterations: 2,
    }
  }
}

describe('runEval with runRlm (tasks run elsewhere, e.g. on a queue) and parallel', () => {
  it('runs each RLM task through the runner, several at once, and reports them in the planned order', async () => {
    const calls: string[] = []
    const inFlight = { now: 0, max: 0 }
    const engineEvents: string[] = []
    const report = await runEval(
      {
        offline: true,
        suites: ['s-niah', 'oolong'],
        sizes: [8000],
        tasks: 4,
        runRlm: answering(calls, inFlight),
        parallel: 3,
      },
      { onEvent: (e) => e.type === 'engine' && engineEvents.push(e.taskId) },
    )
    expect(calls).toHaveLength(8)
    expect(inFlight.max).toBe(3)
    const planned = ['s-niah', 'oolong'].flatMap((suite) => [0, 1, 2, 3].map((i) => `${suite}-8k-s1-${i}`))
    expect(report.results.map((r) => r.taskId)).toEqual(planned)
    for (const r of report.results)
      expect(r).toMatchObject({ score: 1, subCalls: 3, iterations: 2, inputTokens: 10 })
    expect(engineEvents.sort()).toEqual([...planned].sort())
  })

  it('records a runner failure as the task error, and stops the eval on a fatal code', async () => {
    const failing: RlmTaskRunner = async (task) => {
      if (task.index === 0) throw new Error('worker lost')
      throw new RlmError('E_PROVIDER_AUTH', 'no key on the workers')
    }
    await expect(
      runEval({ offline: true, suites: ['s-niah'], sizes: [8000], tasks: 1, runRlm: failing }),
    ).resolves.toMatchObject({ results: [{ status: 'error', error: { message: 'worker lost' } }] })
    await expect(
      runEval({ offline: true, suites: ['s-niah'], sizes: [8000], tasks: 3, runRlm: failing, parallel: 2 }),
    ).rejects.toMatchObject({ code: 'E_PROVIDER_AUTH' })
  })

  it('rejects parallel below 1 with E_CONFIG', async () => {
    await expect(runEval({ offline: true, sizes: [8000], parallel: 0 })).rejects.toMatchObject({
      code: 'E_CONFIG',
    })
  })
})
