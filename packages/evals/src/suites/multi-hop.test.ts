import { describe, expect, it } from 'vitest'
import { scoreAnswer } from '../scoring.ts'
import type { EvalDocument } from '../task.ts'
import { generateMultiHop } from './multi-hop.ts'

/** Resolves person -> company -> city by parsing every document's text. */
function resolve(documents: EvalDocument[], person: string): { city: string; docs: string[] } {
  const employer = new Map<string, { company: string; doc: string }>()
  const hq = new Map<string, { city: string; doc: string }>()
  for (const doc of documents) {
    for (const m of doc.text.matchAll(/([A-Z]\w+ [A-Z]\. [A-Z]\w+) joined (.+?) as an? /g)) {
      expect(employer.has(m[1] as string)).toBe(false)
      employer.set(m[1] as string, { company: m[2] as string, doc: doc.name })
    }
    for (const m of doc.text.matchAll(/([A-Z][\w ]+?) is headquartered in (\w+)\./g)) {
      expect(hq.has(m[1] as string)).toBe(false)
      hq.set(m[1] as string, { city: m[2] as string, doc: doc.name })
    }
  }
  const job = employer.get(person)
  expect(job).toBeDefined()
  const place = hq.get((job as { company: string }).company)
  expect(place).toBeDefined()
  return {
    city: (place as { city: string }).city,
    docs: [(job as { doc: string }).doc, (place as { doc: string }).doc],
  }
}

describe('generateMultiHop', () => {
  it('has an answer that needs two different documents, recovered by parsing them', () => {
    for (let index = 0; index < 4; index++) {
      const task = generateMultiHop({ size: 64_000, seed: 2, index })
      const documents = task.context as EvalDocument[]
      const person = /company that (.+) joined\?/.exec(task.query)?.[1] as string
      const { city, docs } = resolve(documents, person)
      expect(docs[0]).not.toBe(docs[1])
      expect(scoreAnswer(task, city)).toBe(1)
      // The person's own document never names the city of the company's headquarters.
      const own = documents.find((d) => d.name === docs[0]) as EvalDocument
      expect(own.text).not.toContain('headquartered')
    }
  })

  it('spreads the facts over dozens to hundreds of uniquely named documents of even size', () => {
    const task = generateMultiHop({ size: 400_000, seed: 1, index: 0 })
    const documents = task.context as EvalDocument[]
    expect(documents.length).toBeGreaterThanOrEqual(200)
    expect(new Set(documents.map((d) => d.name)).size).toBe(documents.length)
    const total = documents.reduce((sum, d) => sum + d.text.length, 0)
    expect(Math.abs(total - 1_600_000) / 1_600_000).toBeLessThan(0.05)
  })

  it('is deterministic for a seed', () => {
    expect(generateMultiHop({ size: 8000, seed: 4, index: 0 })).toEqual(
      generateMultiHop({ size: 8000, seed: 4, index: 0 }),
    )
  })
})
