import { describe, expect, it } from 'vitest'
import { summarize } from './aggregate.ts'
import { type EvalReport, MECHANICS_NOTE } from './eval-report.ts'
import { formatTable } from './format-table.ts'
import { renderHtmlReport } from './html-report.ts'
import type { TaskResult } from './task-result.ts'

function result(over: Partial<TaskResult>): TaskResult {
  return {
    taskId: 't',
    suite: 's-niah',
    size: 8000,
    seed: 1,
    index: 0,
    method: 'rlm',
    model: 'm',
    subModel: 'm',
    offline: false,
    query: 'q',
    answer: 'a',
    prediction: 'a',
    score: 1,
    status: 'final',
    contextTokens: 8000,
    inputTokens: 100,
    outputTokens: 10,
    costUsd: 0.01,
    unpricedCalls: 0,
    durationMs: 1000,
    subCalls: 4,
    iterations: 2,
    meta: {},
    finishedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  }
}

const results = [
  result({}),
  result({
    index: 1,
    score: 0,
    status: 'error',
    error: { code: 'E_X', message: 'x' },
    durationMs: 3000,
    subCalls: 0,
  }),
  result({ method: 'direct', truncated: true, score: 0, costUsd: 0.02 }),
  result({ size: 1_000_000, inputTokens: 2_500_000, unpricedCalls: 3 }),
  result({ suite: 'oolong', size: 128_000, status: 'budget_exhausted', budget: 'maxSubCalls', score: 0 }),
]

const report = (over: Partial<EvalReport> = {}): EvalReport => ({
  kind: 'model-accuracy',
  note: 'Model accuracy.',
  model: 'openai:<gpt>',
  subModel: 'openai:mini',
  seed: 1,
  suites: ['s-niah', 'oolong'],
  sizes: [8000, 128_000, 1_000_000],
  tasksPerSize: 2,
  baseline: 'direct',
  results,
  summary: summarize(results),
  resumed: 0,
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 10,
  ...over,
})

describe('summarize', () => {
  it('groups by suite, size and method with accuracy, totals and means', () => {
    const summary = summarize(results)
    expect(summary.map((s) => `${s.suite}/${s.size}/${s.method}`)).toEqual([
      's-niah/8000/rlm',
      's-niah/8000/direct',
      's-niah/1000000/rlm',
      'oolong/128000/rlm',
    ])
    expect(summary[0]).toMatchObject({
      tasks: 2,
      correct: 1,
      accuracy: 0.5,
      errors: 1,
      inputTokens: 200,
      meanDurationMs: 2000,
      meanSubCalls: 2,
    })
    expect(summary[1]).toMatchObject({ truncated: 1, costUsd: 0.02, accuracy: 0 })
    expect(summary[3]).toMatchObject({ budgetExhausted: 1 })
  })
})

describe('formatTable', () => {
  it('prints the note, the models and one aligned row per suite, size and method', () => {
    const table = formatTable(report({ note: MECHANICS_NOTE }))
    const rows = table.split('\n')
    expect(rows[0]).toBe(MECHANICS_NOTE)
    expect(table).toContain('model: openai:<gpt>  sub-model: openai:mini')
    expect(rows.find((r) => /^s-niah\s+8k\s+rlm/.test(r))).toMatch(/50\.0% \(1\/2\).*2\.00 s.*1 error/)
    expect(rows.find((r) => r.includes('direct'))).toMatch(/1 truncated/)
    expect(rows.find((r) => r.includes('1m'))).toMatch(/2\.50M.*3 unpriced calls/)
    expect(rows.find((r) => r.startsWith('oolong'))).toMatch(/1 out of budget/)
  })

  it('shows every figure per task, the sums once under the table, and plural-correct notes', () => {
    const table = formatTable(report())
    expect(table).toMatch(/in tokens\/task .* USD\/task .* time\/task .* sub-calls\/task/)
    // s-niah 8k rlm: 200 input tokens over 2 tasks is 100 a task, not 200.
    expect(table.split('\n').find((r) => /^s-niah\s+8k\s+rlm/.test(r))).toMatch(/\(1\/2\)\s+100\s/)
    const total = summarize(results).reduce((n, s) => n + s.tasks, 0)
    expect(table.split('\n').at(-1)).toMatch(new RegExp(`^total: ${total} tasks, `))
    const one = summarize([result({ unpricedCalls: 1 })])
    expect(formatTable(report({ results: [], summary: one }))).toMatch(/1 unpriced call$/m)
  })
})

describe('renderHtmlReport', () => {
  it('is one self-contained page with an inline SVG chart and escaped text', () => {
    const html = renderHtmlReport(report())
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).toContain('<svg')
    // One panel per suite; one line per method with points.
    expect(html.match(/<polyline/g)).toHaveLength(3)
    expect(html).toContain('openai:&#60;gpt&#62;')
    expect(html).not.toContain('openai:<gpt>')
    // Every task is listed, with its status and error code.
    expect(html).toContain('Every task (5)')
    expect(html).toContain('<td>error (E_X)</td>')
    // No scripts and nothing fetched: the only URL is the SVG namespace.
    expect(html).not.toMatch(/<script|<link|src=|@import/i)
    expect(html.match(/https?:\/\/[^"]+/g)).toEqual(['http://www.w3.org/2000/svg'])
  })

  it('labels an offline report as a mechanics check', () => {
    const html = renderHtmlReport(report({ kind: 'mechanics-check', note: MECHANICS_NOTE }))
    expect(html).toContain('offline mechanics check')
    expect(html).toContain('they are not model accuracy')
  })
})
