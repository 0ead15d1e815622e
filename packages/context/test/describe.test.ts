import { describe, expect, it } from 'vitest'
import { loadContext } from '../src/index.ts'

const lines = (n: number, line: (i: number) => string): string =>
  Array.from({ length: n }, (_, i) => line(i)).join('\n')
const typeOf = async (text: string) => (await loadContext({ text })).shape().type

describe('describe() classifies by lines sampled across the context', () => {
  it('a log whose lines start with a bracketed timestamp is logs, not JSON', async () => {
    const log = lines(
      20_000,
      (i) =>
        `[2024-01-01 10:${String(i % 60).padStart(2, '0')}:00] sensor-${i} zone=north temp=21.5C status=ok`,
    )
    expect(await typeOf(log)).toBe('logs')
    expect(
      await typeOf(lines(50, (i) => `Jan  ${1 + (i % 9)} 10:00:0${i % 10} host sshd[${i}]: Accepted key`)),
    ).toBe('logs')
    expect(await typeOf(lines(50, (i) => `[ERROR] request ${i} failed`))).toBe('logs')
  })

  it('tells JSON lines from one JSON document, pretty-printed or not', async () => {
    expect(await typeOf(lines(100, (i) => JSON.stringify({ id: i, tags: ['a', 'b'], ok: true })))).toBe(
      'jsonl',
    )
    const doc = { items: Array.from({ length: 2000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['x'] })) }
    expect(await typeOf(JSON.stringify(doc, null, 2))).toBe('json')
    expect(await typeOf(JSON.stringify(doc))).toBe('json')
  })

  it('recognises CSV, markdown, code and prose', async () => {
    expect(await typeOf(`name,age,city\n${lines(100, (i) => `person ${i},${20 + (i % 50)},Lisbon`)}`)).toBe(
      'csv',
    )
    expect(await typeOf(lines(100, (i) => `id\t${i}\tvalue ${i}`))).toBe('csv')
    const md = lines(40, (i) => (i % 5 === 0 ? `## Section ${i}` : `Some text about part ${i} of the guide.`))
    expect(await typeOf(md)).toBe('markdown')
    const code = lines(60, (i) =>
      i % 3 === 0 ? `function f${i}(a, b) {` : i % 3 === 1 ? `  return a + b + ${i};` : '}',
    )
    expect(await typeOf(code)).toBe('code')
    const prose = lines(40, () => 'It was a bright cold day in April, and the clocks were striking thirteen.')
    expect(await typeOf(prose)).toBe('prose')
  })

  it('looks past the start: a short prose header over a long log is a log; unlike halves are mixed', async () => {
    const header = lines(
      30,
      () => 'This file holds the nightly export of the sensor network, kept for audits.',
    )
    const log = lines(
      20_000,
      (i) => `2024-05-01T10:00:${String(i % 60).padStart(2, '0')} INFO request ${i} served`,
    )
    expect(await typeOf(`${header}\n${log}`)).toBe('logs')
    const csv = `a,b,c\n${lines(5000, (i) => `${i},${i * 2},${i * 3}`)}` // about half of the text
    const prose = lines(
      1000,
      () => 'It was a bright cold day in April, and the clocks were striking thirteen.',
    )
    const mixed = await loadContext({
      documents: [
        { name: 'data.csv', text: csv },
        { name: 'notes.txt', text: prose },
      ],
    })
    expect(mixed.shape().type).toBe('mixed')
  })

  it('reports one token estimate: the header figure is estimateTokens()', async () => {
    const ctx = await loadContext({
      text: lines(5000, (i) => `[2024-01-01 00:00:00] line ${i} with some words`),
    })
    const estimate = ctx.estimateTokens()
    expect(ctx.shape().estimatedTokens).toBe(estimate)
    expect(ctx.describe()).toContain(`(~${estimate.toLocaleString('en-US')} tokens)`)
  })
})
