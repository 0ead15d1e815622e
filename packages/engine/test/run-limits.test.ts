// Run-wide limits: child RLMs over the whole run (limits.maxChildRuns), the final answer's size
// (limits.maxAnswerChars, written to the trace once), and the sandboxes' shared memory
// (limits.maxRunMemoryBytes).
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createScripted, type GenerateRequest } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm, type RlmEvent } from '../src/index.ts'
import { js, lastUser } from './scripted.ts'

const MIB = 2 ** 20
const queryOf = (req: GenerateRequest): string => req.messages[1]?.content ?? ''

describe('limits.maxChildRuns', () => {
  it('defaults to 1,000 child runs, with maxSubCalls 10,000 and maxAnswerChars 1,000,000', () => {
    const cfg = createRlm({ model: 'openai:gpt-4o-mini' }).config
    expect(cfg.limits.maxChildRuns).toBe(1_000)
    expect(cfg.limits.maxAnswerChars).toBe(1_000_000)
    expect(cfg.budget.maxSubCalls).toBe(10_000)
  })

  it('stops a fan-out of 6 at every level (258 children at depth 4) at the cap, saying so', async () => {
    // Every node fans out to 6 children in one line; at the last level rlm_query is a sub-call.
    const model = createScripted((req) => {
      if (req.messages.length === 1) return 'leaf'
      const turns = req.messages.filter((m) => m.role === 'assistant').length
      if (turns > 0) return js('FINAL("again")')
      return js('FINAL((await rlm_query_batched(Array(6).fill("go"))).join("|"))')
    })
    const events: RlmEvent[] = []
    const r = await createRlm({
      model,
      maxDepth: 4,
      prewarmSandboxes: 0,
      limits: { maxChildRuns: 10 },
      onEvent: (e) => events.push(e),
    }).run({ query: 'go', context: 'c' })
    expect(r.status).toBe('final')
    expect(events.filter((e) => e.type === 'child_start')).toHaveLength(10)
    const markers = JSON.stringify(r.tree).match(/\[rlm_query error E_LIMIT: [^\]|"]*/g) ?? []
    expect(markers.length).toBeGreaterThan(0)
    expect(markers[0]).toContain('10 child RLMs')
    expect(markers[0]).toContain('limits.maxChildRuns')
  })
})

describe('limits.maxAnswerChars', () => {
  it('cuts a longer FINAL with a marker stating its full length, and writes it to the trace once', async () => {
    const trace = join(mkdtempSync(join(tmpdir(), 'rlm-answer-')), 'run.jsonl')
    const events: RlmEvent[] = []
    const r = await createRlm({
      model: createScripted([js('FINAL("a".repeat(2e6))')]),
      limits: { maxAnswerChars: 100_000 },
      onEvent: (e) => events.push(e),
    }).run({ query: 'q', context: 'c', trace })
    expect(r.status).toBe('final')
    expect(r.answer.startsWith('a'.repeat(100_000))).toBe(true)
    expect(r.answer.slice(100_000)).toBe(
      '\n[answer truncated: it has 2,000,000 characters; the first 100,000 are kept (limits.maxAnswerChars)]',
    )
    const final = events.find((e) => e.type === 'final')
    expect(final).toMatchObject({ answerChars: r.answer.length })
    expect(final?.type === 'final' && final.answer.length).toBe(2_000)
    // run_end carries the answer; nothing else repeats it.
    const lines = readFileSync(trace, 'utf8').trim().split('\n')
    expect(lines.filter((l) => l.includes('a'.repeat(50_000)))).toHaveLength(1)
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ type: 'run_end', answer: r.answer })
    expect(statSync(trace).size).toBeLessThan(r.answer.length + 50_000)
  })

  it('leaves an answer at the cap as it is', async () => {
    const r = await createRlm({
      model: createScripted([js('FINAL("b".repeat(5000))')]),
      limits: { maxAnswerChars: 5000 },
    }).run({ query: 'q', context: 'c' })
    expect(r.answer).toBe('b'.repeat(5000))
  })
})

/** A root that runs `rootCode` (its child RLMs answered by `child`) under a run memory budget. */
function rootWithChildren(
  maxRunMemoryBytes: number,
  rootCode: string,
  child: (req: GenerateRequest) => string,
) {
  const model = createScripted((req) => (queryOf(req).includes('Query: ROOT') ? js(rootCode) : child(req)))
  return createRlm({ model, maxDepth: 2, prewarmSandboxes: 0, limits: { maxRunMemoryBytes } }).run({
    query: 'ROOT',
    context: 'c',
  })
}

describe('limits.maxRunMemoryBytes', () => {
  it('rejects a budget under 16 MiB with E_CONFIG', () => {
    expect(() => createRlm({ model: 'openai:gpt-4o-mini', limits: { maxRunMemoryBytes: MIB } })).toThrow(
      /maxRunMemoryBytes: the sandboxes of a run need at least 16 MiB/,
    )
  })

  it('a child the run has no memory for fails with E_MEMORY in its slot, before any model call', async () => {
    const asked: string[] = []
    const r = await rootWithChildren(
      32 * MIB,
      'var hold = "x".repeat(20e6)\nconst r = await rlm_query_batched(["CHILD", "CHILD"])\nFINAL(r.join("\\n"))',
      (req) => {
        asked.push(queryOf(req))
        return js('FINAL("child ran")')
      },
    )
    expect(r.status).toBe('final')
    const slots = r.answer.split('\n')
    expect(slots).toHaveLength(2)
    for (const slot of slots) {
      expect(slot).toMatch(/^\[rlm_query error E_MEMORY: .*limits\.maxRunMemoryBytes/)
    }
    expect(asked.filter((q) => q.includes('Query: CHILD'))).toHaveLength(0)
  })

  it("a session's next run still counts the memory its root sandbox holds", async () => {
    const model = createScripted((req) => {
      const q = lastUser(req)
      if (q.includes('Query: CHILD')) return js('FINAL("child ran")')
      if (q.includes('FIRST')) return js('var hold = "x".repeat(20e6)\nFINAL("held")')
      return js('try { FINAL(await rlm_query("CHILD")) } catch (e) { FINAL(e.code + ": " + e.message) }')
    })
    const session = createRlm({
      model,
      maxDepth: 2,
      prewarmSandboxes: 0,
      limits: { maxRunMemoryBytes: 32 * MIB },
    }).session({ context: 'c' })
    expect((await session.run({ query: 'FIRST' })).answer).toBe('held')
    const second = await session.run({ query: 'SECOND' })
    expect(second.answer).toMatch(/^E_MEMORY: .*limits\.maxRunMemoryBytes/)
    await session.close()
  })

  it('children share what the root leaves: each gets memory in turn, the run ends cleanly', async () => {
    const r = await rootWithChildren(
      64 * MIB,
      'const r = []\nfor (let i = 0; i < 3; i++) r.push(await rlm_query("CHILD"))\nFINAL(r.join(","))',
      (req) =>
        req.messages.some((m) => m.role === 'assistant')
          ? js('FINAL("no room")')
          : js('const s = "y".repeat(24e6)\nFINAL(String(s.length))'),
    )
    // One after another, each child's memory comes back when it ends: all three fit.
    expect(r.answer).toBe('24000000,24000000,24000000')
  })
})
