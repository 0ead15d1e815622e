import { RlmError } from '@rlm/errors'
import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm, type RlmEvent } from '../src/index.ts'
import { js } from './scripted.ts'

const ANSWER_NOW = /out of budget/

// A root model that keeps working (one sub-call per turn) until told to answer now.
function busyModel(perTurn = 'const r = await llm_query("work " + Math.random()); print("got " + r)') {
  return createScripted((req) => {
    const last = req.messages.at(-1)!.content
    if (ANSWER_NOW.test(last))
      return { text: 'partial: best guess', usage: { inputTokens: 10, outputTokens: 5 }, costUsd: 0.001 }
    return { text: js(perTurn), usage: { inputTokens: 100, outputTokens: 10 }, costUsd: 0.01 }
  })
}
const sub = () =>
  createScripted(() => ({ text: 'ok', usage: { inputTokens: 50, outputTokens: 5 }, costUsd: 0.005 }))

describe('budgets end in a partial answer, never an exception', () => {
  it('maxIterations: one last "answer now" call gives the answer', async () => {
    const model = busyModel()
    const r = await createRlm({ model, subModel: sub(), maxIterations: 3 }).run({ query: 'q', context: 'c' })
    expect(r).toMatchObject({
      status: 'budget_exhausted',
      budget: 'maxIterations',
      partialFrom: 'answer_now',
      answer: 'partial: best guess',
    })
    expect(r.tree.iterations).toHaveLength(3)
  })

  it('maxSubCalls: the refused call is a code error, then the run stops with a partial answer', async () => {
    const events: RlmEvent[] = []
    const r = await createRlm({
      model: busyModel(),
      subModel: sub(),
      budget: { maxSubCalls: 2 },
      onEvent: (e) => events.push(e),
    }).run({
      query: 'q',
      context: 'c',
    })
    expect(r).toMatchObject({
      status: 'budget_exhausted',
      budget: 'maxSubCalls',
      answer: 'partial: best guess',
    })
    expect(r.subCalls).toBe(2)
    expect(events.find((e) => e.type === 'budget_exhausted')).toMatchObject({
      budget: 'maxSubCalls',
      limit: 2,
    })
  })

  it('maxTokens: calls reserve their worst case first, so the run never spends past the budget', async () => {
    // usage as the scripted models estimate it (characters / 4); output caps keep reservations small
    const model = createScripted((req) =>
      ANSWER_NOW.test(req.messages.at(-1)!.content)
        ? 'partial: best guess'
        : js('const r = await llm_query_batched(["a", "b", "c", "d"])\nprint(r)'),
    )
    const subModel = createScripted(() => 'ok')
    const maxTokens = 12_000
    const r = await createRlm({
      model,
      subModel,
      maxOutputTokens: 100,
      subMaxOutputTokens: 20,
      budget: { maxTokens },
    }).run({ query: 'q', context: 'c' })
    expect(r).toMatchObject({ status: 'budget_exhausted', budget: 'maxTokens' })
    expect(r.tree.iterations.length).toBeGreaterThan(1)
    expect(r.usage.inputTokens + r.usage.outputTokens).toBeLessThanOrEqual(maxTokens)
  })

  it('maxCostUsd: priced models reserve their worst cost, the run stops before it would pass the budget', async () => {
    const price = { inputPerMillion: 10, outputPerMillion: 30 }
    const model = createScripted(
      (req) =>
        ANSWER_NOW.test(req.messages.at(-1)!.content)
          ? 'partial: best guess'
          : js('const r = await llm_query("work " + Math.random()); print("got " + r)'),
      { price },
    )
    const subModel = createScripted(() => 'ok', { price })
    const maxCostUsd = 0.1
    const r = await createRlm({
      model,
      subModel,
      maxOutputTokens: 100,
      subMaxOutputTokens: 20,
      budget: { maxCostUsd },
    }).run({ query: 'q', context: 'c' })
    expect(r).toMatchObject({ status: 'budget_exhausted', budget: 'maxCostUsd' })
    expect(r.usage.costUsd).toBeGreaterThan(maxCostUsd / 2)
    expect(r.usage.costUsd).toBeLessThanOrEqual(maxCostUsd)
  })

  it('maxWallTimeMs: in-flight sub-calls are cancelled and the run still answers', async () => {
    const slowSub = createScripted(['never'], { latencyMs: 60_000 })
    const started = Date.now()
    const r = await createRlm({ model: busyModel(), subModel: slowSub, budget: { maxWallTimeMs: 300 } }).run({
      query: 'q',
      context: 'c',
    })
    // far below the sub-call's 60 s: it was cancelled, not awaited (loose for a loaded machine)
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(r).toMatchObject({
      status: 'budget_exhausted',
      budget: 'maxWallTimeMs',
      answer: 'partial: best guess',
    })
  })

  it('maxWallTimeMs is a promise: a cell that spins is cut to the time left, the answer-now call is bounded', async () => {
    // the answer-now reply never comes: it gets min(10 s, 10% of the budget) and no more
    const model = createScripted(async (req) => {
      if (ANSWER_NOW.test(req.messages.at(-1)!.content)) await new Promise((r) => setTimeout(r, 60_000))
      return js('while (true) {}')
    })
    const started = Date.now()
    const r = await createRlm({ model, executionTimeoutMs: 120_000, budget: { maxWallTimeMs: 1_500 } }).run({
      query: 'q',
      context: 'c',
    })
    // loose bound (a loaded 2-core machine): far below the 120 s cell limit and the 60 s reply
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(r).toMatchObject({
      status: 'budget_exhausted',
      budget: 'maxWallTimeMs',
      partialFrom: 'last_output',
    })
    expect(r.answer).toMatch(/^No answer: the run stopped at its maxWallTimeMs budget/)
  })

  it('maxErrors: consecutive code errors stop the run', async () => {
    const r = await createRlm({ model: busyModel('null.boom'), budget: { maxErrors: 2 } }).run({
      query: 'q',
      context: 'c',
    })
    expect(r).toMatchObject({
      status: 'budget_exhausted',
      budget: 'maxErrors',
      answer: 'partial: best guess',
    })
    expect(r.tree.iterations).toHaveLength(2)
  })

  it('when the answer-now call fails, the answer says so in prose and keeps the latest output', async () => {
    let turn = 0
    const model = createScripted((req) => {
      if (ANSWER_NOW.test(req.messages.at(-1)!.content)) throw new RlmError('E_PROVIDER_UNAVAILABLE', 'down')
      turn++
      return js(`print("finding ${turn}")`)
    })
    const r = await createRlm({ model, maxIterations: 2 }).run({ query: 'q', context: 'c' })
    expect(r).toMatchObject({ status: 'budget_exhausted', partialFrom: 'last_output' })
    expect(r.answer).toBe(
      'No answer: the run stopped at its maxIterations budget before the model gave one. The last REPL output was:\nfinding 2',
    )
  })

  it('FINAL called in the turn a budget ran out is returned as the candidate answer', async () => {
    const model = createScripted([
      js(
        'const a = await llm_query_batched(["1", "2", "3"])\nFINAL("candidate from " + a.filter(x => !is_error(x)).length)',
      ),
    ])
    const r = await createRlm({ model, subModel: sub(), budget: { maxSubCalls: 2 } }).run({
      query: 'q',
      context: 'c',
    })
    expect(r).toMatchObject({
      status: 'budget_exhausted',
      budget: 'maxSubCalls',
      partialFrom: 'final_candidate',
      answer: 'candidate from 2',
    })
  })

  it('a provider failure of the root model ends with status error and keeps what was found', async () => {
    const model = createScripted([
      js('print("found X")'),
      new RlmError('E_PROVIDER_AUTH', 'set OPENAI_API_KEY'),
    ])
    const r = await createRlm({ model }).run({ query: 'q', context: 'c' })
    expect(r).toMatchObject({ status: 'error', error: { code: 'E_PROVIDER_AUTH' }, answer: 'found X' })
  })

  it('cancellation through the signal ends the run with E_ABORTED', async () => {
    const ac = new AbortController()
    const slow = createScripted(['x'], { latencyMs: 5_000 })
    setTimeout(() => ac.abort(), 100)
    const r = await createRlm({ model: slow }).run({ query: 'q', context: 'c', signal: ac.signal })
    expect(r).toMatchObject({ status: 'error', error: { code: 'E_ABORTED' } })
  })
})
