// The root README's error-code table is what people read to script against `rlm`: it must name
// every code of @rlm/errors' registry, once, with the exit status the CLI really uses, and no other.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ERROR_CODES, type ErrorCode, exitCodeFor, isErrorCode } from '@rlm/errors'
import { describe, expect, it } from 'vitest'

const README = fileURLToPath(new URL('../../../README.md', import.meta.url))

interface TableRow {
  codes: string[]
  exit: string
}

/** The rows of the table under `## Error codes`: the backticked codes of the first cell, the last cell. */
function errorTableRows(markdown: string): TableRow[] {
  const section = markdown.split(/^## Error codes\n/m)[1]?.split(/^## /m)[0] ?? ''
  return section
    .split('\n')
    .filter((line) => /^\|\s*`E_/.test(line))
    .map((line) => {
      const cells = line.split('|').slice(1, -1)
      return {
        codes: [...(cells[0] ?? '').matchAll(/`(E_[A-Z0-9_]+)`/g)].map((m) => m[1] ?? ''),
        exit: (cells.at(-1) ?? '').trim(),
      }
    })
}

/** Everything wrong between a table and the registry, one line each; empty when they agree. */
function tableProblems(rows: TableRow[]): string[] {
  const problems: string[] = []
  const seen = new Map<string, number>()
  for (const row of rows) {
    for (const code of row.codes) {
      seen.set(code, (seen.get(code) ?? 0) + 1)
      if (!isErrorCode(code)) {
        problems.push(`${code} is in the table but not in ERROR_CODES`)
        continue
      }
      const exit = ERROR_CODES[code].exit
      const expected = exit === null ? '—' : String(exitCodeFor(code))
      if (row.exit !== expected)
        problems.push(`${code}: the table says exit ${row.exit}, the CLI exits ${expected}`)
    }
  }
  for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
    const times = seen.get(code) ?? 0
    if (times !== 1) problems.push(`${code} is in the table ${times} times`)
  }
  return problems
}

describe("the root README's error-code table", () => {
  it('names every registered code once, with the exit status the CLI uses, and no other code', () => {
    const rows = errorTableRows(readFileSync(README, 'utf8'))
    expect(rows.length).toBeGreaterThan(5)
    expect(tableProblems(rows)).toEqual([])
  })

  it('is checked for missing codes, unknown codes and wrong exit statuses', () => {
    const table = [
      '## Error codes',
      '| code | from | exit |',
      '| --- | --- | --- |',
      '| `E_CONFIG`, `E_NO_SUCH_CODE` | bad | 2 |',
      '| `E_BUDGET` | a budget | 5 |',
      '| `E_AUTH` | token | — |',
      '## Next',
      '| `E_USAGE` | outside the section | 2 |',
    ].join('\n')
    const problems = tableProblems(errorTableRows(table))
    expect(problems).toContain('E_NO_SUCH_CODE is in the table but not in ERROR_CODES')
    expect(problems).toContain('E_BUDGET: the table says exit 5, the CLI exits 4')
    expect(problems).toContain('E_USAGE is in the table 0 times')
    expect(problems).not.toContain('E_CONFIG is in the table 0 times')
    expect(problems.some((p) => p.startsWith('E_AUTH'))).toBe(false)
  })
})
