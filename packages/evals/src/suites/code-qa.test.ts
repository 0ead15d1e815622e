import { describe, expect, it } from 'vitest'
import { scoreAnswer } from '../scoring.ts'
import type { EvalDocument } from '../task.ts'
import { generateCodeQa } from './code-qa.ts'

/** Who calls whom, by parsing the generated files (definitions and call sites). */
function callGraph(documents: EvalDocument[]): {
  defined: Map<string, string>
  callers: Map<string, Set<string>>
} {
  const defined = new Map<string, string>()
  for (const doc of documents) {
    for (const m of doc.text.matchAll(/^export function (\w+)\(/gm)) defined.set(m[1] as string, doc.name)
  }
  const callers = new Map<string, Set<string>>()
  for (const doc of documents) {
    let current = ''
    for (const line of doc.text.split('\n')) {
      const def = /^export function (\w+)\(/.exec(line)
      if (def) {
        current = def[1] as string
        continue
      }
      if (line.startsWith('import ') || line.startsWith(' *')) continue
      for (const m of line.matchAll(/\b(\w+)\(/g)) {
        const name = m[1] as string
        if (!defined.has(name)) continue
        const set = callers.get(name) ?? new Set<string>()
        set.add(current)
        callers.set(name, set)
      }
    }
  }
  return { defined, callers }
}

describe('generateCodeQa', () => {
  it('names the one never-called option and the sole caller file, as the parsed call graph says', () => {
    for (let index = 0; index < 6; index++) {
      const task = generateCodeQa({ size: 32_000, seed: 8, index })
      const documents = task.context as EvalDocument[]
      const { defined, callers } = callGraph(documents)
      if (task.meta.question === 'unused') {
        const options = [...task.query.matchAll(/([A-D])\) (\w+)/g)].map(
          (m) => [m[1], m[2]] as [string, string],
        )
        expect(options).toHaveLength(4)
        const never = options.filter(([, name]) => defined.has(name) && !callers.has(name))
        expect(never).toHaveLength(1)
        expect(scoreAnswer(task, (never[0] as [string, string])[0])).toBe(1)
      } else {
        const target = /function `(\w+)`/.exec(task.query)?.[1] as string
        const sole = [...(callers.get(target) ?? [])]
        expect(sole).toHaveLength(1)
        expect(scoreAnswer(task, defined.get(sole[0] as string) as string)).toBe(1)
      }
    }
  })

  it('writes one document per file with imports that point at the files defining the callees', () => {
    const task = generateCodeQa({ size: 64_000, seed: 1, index: 0 })
    const documents = task.context as EvalDocument[]
    const { defined } = callGraph(documents)
    for (const doc of documents) {
      for (const m of doc.text.matchAll(/^import \{ ([\w, ]+) \} from '([^']+)'$/gm)) {
        const dir = doc.name.split('/').slice(0, -1)
        for (const part of (m[2] as string).split('/')) {
          if (part === '..') dir.pop()
          else if (part !== '.') dir.push(part)
        }
        for (const name of (m[1] as string).split(', ')) expect(defined.get(name)).toBe(dir.join('/'))
      }
    }
  })

  it('is deterministic for a seed and near the token target', () => {
    const a = generateCodeQa({ size: 64_000, seed: 3, index: 1 })
    expect(generateCodeQa({ size: 64_000, seed: 3, index: 1 })).toEqual(a)
    const total = (a.context as EvalDocument[]).reduce((sum, d) => sum + d.text.length, 0)
    expect(Math.abs(total - 256_000) / 256_000).toBeLessThan(0.1)
  })
})
