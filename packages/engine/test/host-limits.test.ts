// Issue 12's attacks on the host, each in a child process with a 128 MB heap (where the failure
// was a crash): the process survives, the cell gets the documented code, the run ends within its
// limits, and RSS stays under 1 GiB. Before the limits, each of these ended in "heap out of memory".
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const CHILD = fileURLToPath(new URL('./attacks/host-attack.ts', import.meta.url))
const HEAP_MB = 128
const RSS_BOUND_MB = 1024

interface Outcome {
  status: string
  answer: string
  ms: number
  worstLateMs: number
  maxRssMb: number
  cells: Array<{ ok: boolean; output: string; error?: { code: string; message: string }; durationMs: number }>
}

function attack(name: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--conditions=@rlm/source', `--max-old-space-size=${HEAP_MB}`, CHILD, name],
      { timeout: 60_000, maxBuffer: 16 * 2 ** 20 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${name}: the host process died (${error.message})\n${stderr}`))
        else resolve(JSON.parse(stdout) as Outcome)
      },
    )
  })
}

function expectSurvived(r: Outcome): void {
  expect(r.status).toBe('final')
  expect(r.answer).toBe('survived')
  expect(r.maxRssMb).toBeLessThan(RSS_BOUND_MB)
}

const limitMessage = (r: Outcome, cell: number) => {
  const c = r.cells[cell]!
  expect(c.ok).toBe(false)
  expect(c.error!.message).toContain('E_LIMIT')
  return c.error!.message
}

describe('host limits against hostile guest code (bounded-heap child process)', { timeout: 90_000 }, () => {
  it('search(".", { limit: 9007199254740991 }) is refused with E_LIMIT naming maxSearchHits and paging', async () => {
    const r = await attack('search-limit')
    expectSurvived(r)
    const message = limitMessage(r, 0)
    expect(message).toContain('limits.maxSearchHits = 10,000')
    expect(message).toContain('{ from: hits[hits.length - 1].end }')
    expect(r.cells[1]!.output).toBe('10000\n')
  })

  it('context.match(/./g), matchAll, split("") and split(/y/) on a host-backed context stop at maxMatches', async () => {
    const r = await attack('match-all')
    expectSurvived(r)
    for (const cell of [0, 1, 2, 3]) expect(limitMessage(r, cell)).toContain('limits.maxMatches')
    expect(limitMessage(r, 0)).toContain('context.match on the host-backed context (1,000,000 characters)')
    expect(r.cells[4]!.output).toBe('1000\n')
  })

  it('chunks({ size: 1 }) is refused with the size that fits', async () => {
    const r = await attack('chunks')
    expectSurvived(r)
    expect(limitMessage(r, 0)).toContain("limits.maxChunks); use chunks({ strategy: 'fixed', size: 10 })")
    expect(r.cells[1]!.output).toBe('10000\n')
  })

  it('300 un-awaited llm_query calls with a 1M-character range read it only when each starts', async () => {
    const r = await attack('ranges')
    expectSurvived(r)
    expect(r.cells[0]!.output).toBe('300\n')
  })

  it.each([
    ['search', 'slow-search'],
    ['context.match', 'slow-match'],
  ])(
    'a slow %s ends its cell with E_TIMEOUT near the deadline; the event loop keeps turning',
    async (_fn, name) => {
      const r = await attack(name)
      expectSurvived(r)
      const cell = r.cells[0]!
      expect(cell.error?.code).toBe('E_TIMEOUT')
      // executionTimeoutMs is 2 s and the wall budget 5 s (the run would end budget_exhausted past it).
      expect(cell.durationMs).toBeLessThan(4_500)
      expect(r.cells[1]!.output).toBe('after\n')
      expect(r.worstLateMs).toBeLessThan(1_000)
    },
  )
})
