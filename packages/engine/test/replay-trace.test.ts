import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm, type RlmEvent, replay } from '../src/index.ts'
import { js, lastUser } from './scripted.ts'

const dir = mkdtempSync(join(tmpdir(), 'rlm-engine-'))

function run(trace: string) {
  let n = 0
  const sub = createScripted(async (req) => {
    await new Promise((r) => setTimeout(r, Math.random() * 5))
    return `#${++n} for ${lastUser(req)}`
  })
  const model = createScripted((req) => {
    const head = req.messages[1]!.content
    const turn = req.messages.filter((m) => m.role === 'assistant').length
    if (head.includes('Query: CHILD')) return js('FINAL("child:" + context)')
    if (turn === 0)
      return js(
        'const parts = await llm_query_batched(["a", "b", "c"])\nconst kid = await rlm_query("CHILD", "zz")\nprint(parts.join(";"), kid)',
      )
    return js('FINAL(parts.join(";") + "|" + kid)')
  })
  return createRlm({ model, subModel: sub, trace }).run({ query: 'root', context: 'the context' })
}

describe('trace and replay', () => {
  it('writes every event to the JSONL trace as it happens', async () => {
    const trace = join(dir, 'a.jsonl')
    const seen: RlmEvent[] = []
    const r = await createRlm({
      model: createScripted([js('print(1)'), js('FINAL(2)')]),
      trace,
      onEvent: (e) => seen.push(e),
    }).run({
      query: 'q',
      context: 'c',
    })
    const lines = readFileSync(trace, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    // live output goes to listeners only: the cells' code_end events carry it in the trace
    expect(lines).toEqual(JSON.parse(JSON.stringify(seen.filter((e) => e.type !== 'cell_output'))))
    expect(lines[0].type).toBe('run_start')
    expect(lines.at(-1)).toMatchObject({ type: 'run_end', answer: '2', runId: r.runId })
  })

  it('replay re-runs the code against the recorded replies and reproduces the run', async () => {
    const trace = join(dir, 'b.jsonl')
    const original = await run(trace)
    expect(original.status).toBe('final')
    const again = await replay(trace)
    expect(again.answer).toBe(original.answer)
    expect(again.status).toBe('final')
    expect(again.replay.divergences).toEqual([])
    expect(again.replay.recordedAnswer).toBe(original.answer)
    expect(again.subCalls).toBe(original.subCalls)
    expect(again.usage.inputTokens).toBe(original.usage.inputTokens)
    expect(again.tree.children[0]!.answer).toBe('child:zz')
  })

  it('replay reports divergences when the code no longer does the same', async () => {
    const trace = join(dir, 'c.jsonl')
    await createRlm({ model: createScripted([js('print(context)'), js('FINAL("x")')]), trace }).run({
      query: 'q',
      context: 'abc',
    })
    const changed = await replay(trace, { context: 'abd' })
    expect(changed.replay.divergences).toEqual([
      { nodeId: '0', iteration: 1, cell: 0, expected: 'abc\n', actual: 'abd\n' },
    ])
    expect(changed.answer).toBe('x')
    await expect(replay(trace, { context: 'abcd' })).rejects.toMatchObject({ code: 'E_CONFIG' })
  })
})
