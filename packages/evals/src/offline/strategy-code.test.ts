import { describe, expect, it } from 'vitest'
import { runInFakeRepl } from '../../test/fake-repl.ts'
import { parseQuestionPrompt } from '../question-prompt.ts'
import { scoreAnswer } from '../scoring.ts'
import { generateTask } from '../suites/generate-task.ts'
import { SUITE_NAMES } from '../task.ts'
import { createOfflineReaderModel } from './reader-model.ts'
import { strategyCode } from './strategy-code.ts'

describe('offline strategy code', () => {
  it('answers every suite through sub-calls that each see only part of the context', async () => {
    for (const suite of SUITE_NAMES) {
      for (let index = 0; index < 3; index++) {
        const task = generateTask(suite, { size: 32_000, seed: 4, index })
        const code = strategyCode(task.query)
        // The code is built from the query alone: an answer not in the query is not in the code.
        const first = task.answer.split(', ')[0] as string
        if (!task.query.includes(first)) expect(code).not.toContain(first)
        const run = await runInFakeRepl(code, task.context, createOfflineReaderModel())
        expect(scoreAnswer(task, run.answer), `${task.id} -> ${run.answer}\n${run.output.join('\n')}`).toBe(1)
        expect(run.prompts.length).toBeGreaterThan(0)
        const total =
          typeof task.context === 'string'
            ? task.context.length
            : task.context.reduce((n, d) => n + d.text.length, 0)
        for (const prompt of run.prompts) {
          const parsed = parseQuestionPrompt(prompt)
          expect(parsed).toBeDefined()
          expect((parsed as { text: string }).text.length).toBeLessThan(total)
        }
      }
    }
  })

  it('fans the aggregation out over several line chunks and adds the counts up', async () => {
    const task = generateTask('oolong', { size: 64_000, seed: 1, index: 0 })
    const run = await runInFakeRepl(strategyCode(task.query), task.context, createOfflineReaderModel())
    expect(run.prompts.length).toBeGreaterThanOrEqual(4)
    expect(scoreAnswer(task, run.answer)).toBe(1)
  })

  it('falls back to chunking everything for a query it does not recognise', async () => {
    const text = `${'filler line\n'.repeat(5000)}The access code for the Red Fox vault is 1234-5678.\n${'more filler\n'.repeat(5000)}`
    const code = strategyCode('Tell me the access code for the Red Fox vault? Please.')
    const run = await runInFakeRepl(code, text, createOfflineReaderModel())
    expect(run.answer).toBe('1234-5678')
    const generic = await runInFakeRepl(
      strategyCode('What colour is the sky?'),
      text,
      createOfflineReaderModel(),
    )
    expect(generic.answer).toBe('NOT FOUND')
    expect(generic.prompts.length).toBeGreaterThan(1)
  })
})
