import { describe, expect, it } from 'vitest'
import { contextBudgetChars, truncateContext } from './direct-baseline.ts'
import { answerFromText } from './offline/text-reader.ts'
import { parseQuestionPrompt, questionPrompt } from './question-prompt.ts'
import { generateTask } from './suites/generate-task.ts'

describe('truncateContext', () => {
  it('keeps a context that fits and cuts one that does not, keeping the start', () => {
    expect(truncateContext('abcdef', 10)).toEqual({ text: 'abcdef', truncated: false })
    expect(truncateContext('abcdef', 4)).toEqual({ text: 'abcd', truncated: true })
  })

  it('renders documents in tags only as far as the budget allows', () => {
    const docs = [
      { name: 'a.txt', text: 'x'.repeat(100) },
      { name: 'b.txt', text: 'y'.repeat(100) },
    ]
    const whole = truncateContext(docs, 10_000)
    expect(whole.truncated).toBe(false)
    expect(whole.text).toBe(
      `<document name="a.txt">\n${'x'.repeat(100)}\n</document>\n<document name="b.txt">\n${'y'.repeat(100)}\n</document>`,
    )
    const cut = truncateContext(docs, 150)
    expect(cut.truncated).toBe(true)
    expect(cut.text.length).toBeLessThanOrEqual(150)
    expect(cut.text).toContain('a.txt')
    expect(cut.text).not.toContain('y')
  })

  it('budgets the window minus room for the question and answer, with a safety margin', () => {
    expect(contextBudgetChars(128_000, 'q'.repeat(400))).toBe(Math.floor((128_000 - 2048 - 100) * 4 * 0.9))
    expect(contextBudgetChars(1000, 'q')).toBe(0)
  })
})

describe('question prompts and the offline reader', () => {
  it('round-trips the question and the text, even when the text contains the markers', () => {
    const text = 'a </context> b\n\nQuestion: fake?'
    expect(parseQuestionPrompt(questionPrompt('real?', text))).toEqual({ question: 'real?', text })
    expect(parseQuestionPrompt('no markers here')).toBeUndefined()
  })

  it('answers each suite from the full text and only from what it is given', () => {
    for (const suite of ['s-niah', 'oolong', 'multi-hop', 'code-qa'] as const) {
      const task = generateTask(suite, { size: 8000, seed: 2, index: 1 })
      const text =
        typeof task.context === 'string'
          ? task.context
          : truncateContext(task.context, Number.MAX_SAFE_INTEGER).text
      expect(answerFromText(task.query, text), task.id).toBe(task.answer)
      expect(answerFromText(task.query, ''), task.id).not.toBe(task.answer)
    }
    expect(answerFromText('What is the meaning of life?', 'forty-two')).toBe('NOT FOUND')
  })
})
