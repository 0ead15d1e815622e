import { describe, expect, it } from 'vitest'
import { scoreAnswer } from '../scoring.ts'
import { generateOolong } from './oolong.ts'

const RECORD = /^#\d{7} \| \d{4}-\d{2}-\d{2} \| user \d{5} \| label: (\w+) \| "[^"]+"$/

/** Counts labels by parsing the text, independent of the generator's bookkeeping. */
function recount(text: string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const line of text.split('\n')) {
    const match = RECORD.exec(line)
    expect(match, `unparseable record: ${line}`).not.toBeNull()
    const label = (match as RegExpExecArray)[1] as string
    counts.set(label, (counts.get(label) ?? 0) + 1)
  }
  return counts
}

describe('generateOolong', () => {
  it('answers count, compare and top-k questions as a recount of the parsed records does', () => {
    for (let index = 0; index < 9; index++) {
      const task = generateOolong({ size: 16_000, seed: 5, index })
      const counts = recount(task.context as string)
      const quoted = [...task.query.matchAll(/'(\w+)'/g)].map((m) => m[1] as string)
      let expected: string
      if (task.meta.question === 'count') {
        expected = String(counts.get(quoted[0] as string))
      } else if (task.meta.question === 'compare') {
        const [a, b] = quoted as [string, string]
        expected = (counts.get(a) ?? 0) > (counts.get(b) ?? 0) ? a : b
      } else {
        const ranked = [...counts].sort((x, y) => y[1] - x[1])
        // No tie at the top-3 boundary, so the answer is well defined.
        expect(ranked[2]?.[1]).toBeGreaterThan(ranked[3]?.[1] ?? -1)
        expected = ranked
          .slice(0, 3)
          .map(([label]) => label)
          .reverse()
          .join(', ')
      }
      expect(scoreAnswer(task, expected), `${task.id}: ${task.query}`).toBe(1)
    }
  })

  it('holds hundreds of records at 8k and thousands at 128k, near the token target', () => {
    const small = generateOolong({ size: 8000, seed: 1, index: 0 })
    const large = generateOolong({ size: 128_000, seed: 1, index: 0 })
    expect(small.meta.records).toBeGreaterThan(300)
    expect(large.meta.records).toBeGreaterThan(5000)
    const chars = (large.context as string).length
    expect(Math.abs(chars - 512_000) / 512_000).toBeLessThan(0.05)
  })

  it('is deterministic for a seed', () => {
    expect(generateOolong({ size: 8000, seed: 9, index: 1 })).toEqual(
      generateOolong({ size: 8000, seed: 9, index: 1 }),
    )
    expect(generateOolong({ size: 8000, seed: 9, index: 1 }).context).not.toEqual(
      generateOolong({ size: 8000, seed: 10, index: 1 }).context,
    )
  })
})
