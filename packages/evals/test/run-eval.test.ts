import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isRlmError, RlmError } from '@rlm/errors'
import { createScripted } from '@rlm/providers'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EvalEvent } from '../src/eval-events.ts'
import { runEval } from '../src/run-eval.ts'
import { SUITE_NAMES } from '../src/task.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rlm-evals-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const lines = async (path: string) => (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '')

describe('runEval offline (the mechanics check through the real engine)', () => {
  it('runs every suite end to end at 8k and 128k, labelled a mechanics check', async () => {
    const events: EvalEvent[] = []
    const report = await runEval(
      { offline: true, sizes: [8000, 128_000], tasks: 1, seed: 3 },
      { onEvent: (e) => events.push(e) },
    )
    expect(report.kind).toBe('mechanics-check')
    expect(report.note).toMatch(/not model accuracy/)
    expect(report.results).toHaveLength(SUITE_NAMES.length * 2)
    for (const r of report.results) {
      expect(r.status, `${r.taskId}: ${r.error?.message}`).toBe('final')
      expect(r.score, `${r.taskId}: ${r.prediction} vs ${r.answer}`).toBe(1)
      expect(r.subCalls).toBeGreaterThan(0)
      expect(r.iterations).toBeGreaterThanOrEqual(2)
    }
    expect(report.summary.map((s) => `${s.suite}@${s.size}:${s.accuracy}`)).toEqual(
      SUITE_NAMES.flatMap((suite) => [`${suite}@8000:1`, `${suite}@128000:1`]),
    )
    // Engine events are forwarded, tagged with their task.
    const engine = events.filter((e) => e.type === 'engine')
    expect(engine.some((e) => e.type === 'engine' && e.event.type === 'subcall_end')).toBe(true)
    expect(events.filter((e) => e.type === 'task_end')).toHaveLength(8)
  })

  it('compares with the direct baseline, which loses what the window cuts off', async () => {
    // A needle at depth 1 of a 128k-token haystack, a direct window of 16k tokens.
    const report = await runEval({
      offline: true,
      suites: ['s-niah'],
      sizes: [128_000],
      tasks: 5,
      baseline: 'direct',
      contextWindow: 16_000,
    })
    const direct = report.results.filter((r) => r.method === 'direct')
    const rlm = report.results.filter((r) => r.method === 'rlm')
    expect(rlm.every((r) => r.score === 1)).toBe(true)
    expect(direct.every((r) => r.truncated)).toBe(true)
    // Only the needle at depth 0 survives the cut.
    expect(direct.map((r) => r.score)).toEqual([1, 0, 0, 0, 0])
    const summary = report.summary.find((s) => s.method === 'direct')
    expect(summary?.truncated).toBe(5)
    expect(summary?.accuracy).toBeCloseTo(0.2)
  })
})

describe('runEval resuming from the results file', () => {
  it('does not rerun finished tasks and reruns the ones missing, torn or failed', async () => {
    const file = join(dir, 'results.jsonl')
    const options = { offline: true, suites: ['oolong' as const], sizes: [8000], tasks: 3, resultsFile: file }
    const first = await runEval(options)
    expect(await lines(file)).toHaveLength(3)
    expect(first.resumed).toBe(0)

    const events: EvalEvent[] = []
    const second = await runEval(options, { onEvent: (e) => events.push(e) })
    expect(second.resumed).toBe(3)
    expect(events.filter((e) => e.type === 'task_start')).toHaveLength(0)
    expect(events.filter((e) => e.type === 'task_skip')).toHaveLength(3)
    expect(second.results).toEqual(first.results)

    // Drop one result, tear another, mark the third as failed: all three run again.
    const [, b, c] = (await lines(file)) as [string, string, string]
    const failed = {
      ...JSON.parse(c),
      status: 'error',
      score: 0,
      error: { code: 'E_PROVIDER_TIMEOUT', message: 'timed out' },
    }
    await writeFile(file, `${b.slice(0, 40)}\n${JSON.stringify(failed)}\n`)
    const third: EvalEvent[] = []
    const resumed = await runEval(options, { onEvent: (e) => third.push(e) })
    expect(resumed.resumed).toBe(0)
    expect(third.filter((e) => e.type === 'task_start')).toHaveLength(3)
    expect(third.find((e) => e.type === 'warning')).toMatchObject({
      message: expect.stringContaining('unreadable line'),
    })
    expect(resumed.results.every((r) => r.score === 1)).toBe(true)
  })

  it('keeps results of other models and seeds apart', async () => {
    const file = join(dir, 'results.jsonl')
    await runEval({ offline: true, suites: ['s-niah'], sizes: [8000], tasks: 1, seed: 1, resultsFile: file })
    const other = await runEval({
      offline: true,
      suites: ['s-niah'],
      sizes: [8000],
      tasks: 1,
      seed: 2,
      resultsFile: file,
    })
    expect(other.resumed).toBe(0)
    expect(await lines(file)).toHaveLength(2)
  })
})

describe('runEval against a configured model', () => {
  it('records tokens and cost from the provider and scores the model, not a mechanics check', async () => {
    // A root model that answers at once, right or wrong by task: scoring is on its answers.
    const model = createScripted(
      (request) => {
        // The engine's root turns carry a system prompt; the direct baseline is one user message.
        const viaEngine = request.messages.some((m) => m.role === 'system')
        const reply = viaEngine ? '```js\nFINAL("0000-0000")\n```' : 'I do not know.'
        return { text: reply, usage: { inputTokens: 1000, outputTokens: 10 }, costUsd: 0.002 }
      },
      { modelId: 'fake', provider: 'test', contextWindow: 8000 },
    )
    const report = await runEval({ model, suites: ['s-niah'], sizes: [8000], tasks: 1, baseline: 'direct' })
    expect(report.kind).toBe('model-accuracy')
    expect(report.model).toBe('test:fake')
    const rlm = report.results.find((r) => r.method === 'rlm')
    const direct = report.results.find((r) => r.method === 'direct')
    expect(rlm).toMatchObject({
      prediction: '0000-0000',
      score: 0,
      status: 'final',
      inputTokens: 1000,
      costUsd: 0.002,
    })
    expect(direct).toMatchObject({ prediction: 'I do not know.', score: 0, truncated: true, costUsd: 0.002 })
    // The direct prompt was cut to the model's 8k window.
    const directPrompt = model.requests.find((r) => r.messages.length === 1)?.messages[0]?.content ?? ''
    expect(directPrompt.length).toBeLessThan(8000 * 4)
    expect(directPrompt).toContain('cut to fit')
  })

  it('records a failing provider call as an error and retries it on resume', async () => {
    const file = join(dir, 'results.jsonl')
    let fail = true
    const model = createScripted(() => {
      if (fail) return new RlmError('E_PROVIDER_TIMEOUT', 'the provider timed out', { isRetryable: true })
      return 'The answer is unknown.'
    })
    const options = {
      model,
      suites: ['s-niah' as const],
      sizes: [8000],
      tasks: 1,
      baseline: 'direct' as const,
      resultsFile: file,
      engine: { budget: { maxErrors: 1 } },
    }
    const first = await runEval(options)
    const direct = first.results.find((r) => r.method === 'direct')
    expect(direct).toMatchObject({ status: 'error', score: 0, error: { code: 'E_PROVIDER_TIMEOUT' } })
    expect(first.summary.find((s) => s.method === 'direct')?.errors).toBe(1)
    fail = false
    const second = await runEval(options)
    expect(second.results.find((r) => r.method === 'direct')).toMatchObject({
      status: 'final',
      prediction: 'The answer is unknown.',
    })
  })

  it('stops the whole eval on an authentication error instead of failing every task', async () => {
    const model = createScripted(() => new RlmError('E_PROVIDER_AUTH', 'bad key; set OPENAI_API_KEY'))
    const error = await runEval({ model, suites: ['s-niah'], sizes: [8000], tasks: 2 }).catch(
      (e: unknown) => e,
    )
    expect(isRlmError(error) && error.code).toBe('E_PROVIDER_AUTH')
  })

  it('stops when the signal aborts, without recording the task in flight', async () => {
    const file = join(dir, 'results.jsonl')
    const controller = new AbortController()
    const model = createScripted(() => {
      controller.abort()
      return '```js\nFINAL("x")\n```'
    })
    const error = await runEval({
      model,
      suites: ['s-niah'],
      sizes: [8000],
      tasks: 2,
      resultsFile: file,
      signal: controller.signal,
    }).catch((e: unknown) => e)
    expect(isRlmError(error) && error.code).toBe('E_ABORTED')
    await expect(readFile(file, 'utf8')).rejects.toThrow()
  })
})

describe('runEval options', () => {
  it.each([
    [{ sizes: [8000] }, /model: a model is required/],
    [
      { offline: true, model: 'openai:gpt-4o-mini', sizes: [8000] },
      /offline runs use the scripted strategy model/,
    ],
    [{ offline: true, sizes: [] }, /sizes: give at least one size/],
    [{ offline: true, sizes: [10] }, /sizes.0: sizes start at 1000 tokens/],
    [{ offline: true, sizes: [8000], suites: ['nope'] }, /suites/],
    [{ offline: true, sizes: [8000], engine: { model: 'x' } }, /engine.model: set model on the eval options/],
    [{ offline: true, sizes: [8000], tasks: 0 }, /tasks/],
  ])('rejects %j with E_CONFIG naming the field', async (options, message) => {
    const error = await runEval(options as never).catch((e: unknown) => e)
    expect(isRlmError(error) && error.code).toBe('E_CONFIG')
    expect((error as Error).message).toMatch(message)
  })
})
