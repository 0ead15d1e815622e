import { describe, expect, it } from 'vitest'
import { scoreAnswer } from '../scoring.ts'
import { generateSniah } from './s-niah.ts'

const NEEDLE = /The access code for the (\w+ \w+) vault is (\d{4}-\d{4})\./g

describe('generateSniah', () => {
  it('hides exactly one needle whose code, found by searching the text, is the answer', () => {
    for (let index = 0; index < 5; index++) {
      const task = generateSniah({ size: 8000, seed: 7, index })
      const text = task.context as string
      const needles = [...text.matchAll(NEEDLE)]
      expect(needles).toHaveLength(1)
      const [, key, code] = needles[0] as RegExpExecArray
      expect(task.query).toContain(`${key} vault`)
      expect(code).toBe(task.answer)
      expect(scoreAnswer(task, code)).toBe(1)
      // The filler never mentions access codes or vaults elsewhere.
      expect(text.match(/access code|vault/g)).toHaveLength(2)
    }
  })

  it('places the needle at the requested depth and sizes the haystack to the token target', () => {
    for (const depth of [0, 0.1, 0.5, 0.9, 1]) {
      const task = generateSniah({ size: 32_000, seed: 3, index: 0, depth })
      const text = task.context as string
      expect(Math.abs(text.length - 128_000)).toBeLessThan(128_000 * 0.01)
      const position = text.search(NEEDLE) / text.length
      expect(Math.abs(position - depth)).toBeLessThan(0.02)
    }
  })

  it('cycles through the default depths by task index', () => {
    const depths = [0, 1, 2, 3, 4].map((index) => generateSniah({ size: 8000, seed: 1, index }).meta.depth)
    expect(depths).toEqual([0, 0.25, 0.5, 0.75, 1])
  })

  it('is deterministic for a seed and differs across seeds', () => {
    const a = generateSniah({ size: 8000, seed: 11, index: 2 })
    const b = generateSniah({ size: 8000, seed: 11, index: 2 })
    const c = generateSniah({ size: 8000, seed: 12, index: 2 })
    expect(b).toEqual(a)
    expect(c.context).not.toEqual(a.context)
  })

  it('rejects a depth outside 0..1', () => {
    expect(() => generateSniah({ size: 8000, seed: 1, index: 0, depth: 1.5 })).toThrow(
      /depth must be within 0..1/,
    )
  })
})
