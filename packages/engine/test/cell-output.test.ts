import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm, type RlmEvent } from '../src/index.ts'
import { js } from './scripted.ts'

describe('live cell output', () => {
  it('reports prints as cell_output events while the cell runs, and keeps them out of the trace', async () => {
    const sub = createScripted(() => 'sub answer', { latencyMs: 300 })
    const model = createScripted([
      js('print("warming up")'),
      js('print("step 1")\nconst a = await llm_query("x")\nprint("step 2")\nFINAL(a)'),
    ])
    const events: RlmEvent[] = []
    const trace = join(mkdtempSync(join(tmpdir(), 'rlm-cell-output-')), 'run.jsonl')
    const r = await createRlm({ model, subModel: sub, onEvent: (e) => events.push(e) }).run({
      query: 'q',
      context: 'c',
      trace,
    })
    expect(r.answer).toBe('sub answer')
    const live = events.flatMap((e) => (e.type === 'cell_output' ? [e] : []))
    expect(live.map((e) => [e.iteration, e.cell, e.chunk])).toEqual([
      [1, 0, 'warming up\n'],
      [2, 0, 'step 1\n'],
      [2, 0, 'step 2\n'],
    ])
    const order = events.map((e) =>
      e.type === 'cell_output'
        ? e.chunk.trim()
        : e.type === 'subcall_end' || e.type === 'code_end'
          ? e.type
          : '',
    )
    const at = (x: string) => order.indexOf(x)
    expect(at('step 1')).toBeLessThan(at('subcall_end'))
    expect(at('subcall_end')).toBeLessThan(at('step 2'))
    expect(order.lastIndexOf('step 2')).toBeLessThan(order.lastIndexOf('code_end'))
    const traced = readFileSync(trace, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RlmEvent)
    expect(traced.some((e) => e.type === 'code_end')).toBe(true)
    expect(traced.some((e) => e.type === 'cell_output')).toBe(false)
  })
})
