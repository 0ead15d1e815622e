// Functions a reader can hold in their head: none in packages/*/src or apps/*/src is over 80
// lines unless the line above it gives the reason (`// long-function: <reason>`).
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { longFunctions, MAX_LINES, workspaceLongFunctions } from './function-length.mjs'

const root = resolve(import.meta.dirname, '..', '..')

const body = (n) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i}`).join('\n')

describe('function length', () => {
  it(`no function in packages/*/src or apps/*/src is over ${MAX_LINES} lines without a reason`, () => {
    const found = workspaceLongFunctions(root).map(
      (f) =>
        `${f.file}:${f.line} ${f.name} is ${f.length} lines: split it by concern, or put \`// long-function: <reason>\` on the line above it`,
    )
    expect(found).toEqual([])
  })

  it('finds functions, arrows, methods and nested functions over the limit, with their first line', () => {
    const text = [
      `export function big() {\n${body(80)}\n}`,
      `const arrow = async () => {\n${body(79)}\n}`,
      `class C {\n  method() {\n${body(79)}\n  }\n}`,
      `function outer() {\n  return function () {\n${body(80)}\n  }\n}`,
    ].join('\n')
    const found = longFunctions('x.ts', text).map(({ name, line, length }) => ({ name, line, length }))
    expect(found).toEqual([
      { name: 'big', line: 1, length: 82 },
      { name: 'arrow', line: 83, length: 81 },
      { name: 'method', line: 165, length: 81 },
      { name: 'outer', line: 247, length: 84 },
      { name: '(anonymous)', line: 248, length: 82 },
    ])
  })

  it('lets a function of exactly the limit pass, and a longer one with a reason above it', () => {
    const text = [
      `function fits() {\n${body(78)}\n}`,
      `// long-function: one table of cases reads best whole`,
      `function explained() {\n${body(100)}\n}`,
      `// long-function:`,
      `function noReason() {\n${body(100)}\n}`,
    ].join('\n')
    expect(longFunctions('x.ts', text).map((f) => f.name)).toEqual(['noReason'])
  })
})
