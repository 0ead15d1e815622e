import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm, parseTrace, readTrace, replay } from '../src/index.ts'
import { js } from './scripted.ts'

const dir = mkdtempSync(join(tmpdir(), 'rlm-trace-read-'))
const base = { runId: 'r', nodeId: '0', depth: 0, timestamp: 1 }
const line = (v: unknown) => JSON.stringify(v)
const final = { ...base, type: 'final', answer: 'a' }

describe('readTrace', () => {
  it('reads a trace the engine wrote, in strict mode, with no issues', async () => {
    const trace = join(dir, 'real.jsonl')
    await createRlm({
      model: createScripted([
        js('const r = await llm_query("x")\nprint(search("ct").length)'),
        js('FINAL(r)'),
      ]),
      subModel: createScripted(['sub answer']),
      trace,
    }).run({ query: 'q', context: 'ctx' })
    const read = readTrace(trace, { mode: 'strict' })
    expect(read.issues).toEqual([])
    const written = readFileSync(trace, 'utf8').trim().split('\n')
    expect(read.events).toHaveLength(written.length)
    expect(read.events.map((e) => e.type)).toContain('subcall_end')
    expect(read.events.map((e) => e.type)).toContain('context_access')
  })

  it('lenient: each bad line becomes an issue with its line, kind and what was wrong', () => {
    const text = [
      line(final),
      'not json',
      line({ type: 'final', answer: 'no envelope' }),
      '',
      line({ ...base, type: 'model_reply', purpose: 'iteration', iteration: 1, text: null }),
      line({ ...base, type: 'from_the_future', x: 1 }),
      line({ ...final, extra: 'kept quiet' }),
    ].join('\n')
    const { events, issues } = parseTrace(text)
    expect(events).toHaveLength(2)
    expect(events[1]).not.toHaveProperty('extra')
    expect(issues.map((i) => [i.line, i.kind])).toEqual([
      [2, 'json'],
      [3, 'envelope'],
      [5, 'fields'],
      [6, 'unknown_type'],
    ])
    expect(issues[1]!.message).toMatch(/runId/)
    expect(issues[2]).toMatchObject({ type: 'model_reply', runId: 'r', nodeId: '0' })
    expect(issues[2]!.message).toMatch(/^model_reply\.text: .*string/)
    expect(issues[2]!.message).toMatch(/and \d+ more$/) // usage, durationMs, cached also missing
  })

  it('strict: a bad line is E_TRACE naming the line; a torn last line and unknown types are skipped', () => {
    expect(() => parseTrace([line(final), '{"torn', line(final)].join('\n'), { mode: 'strict' })).toThrow(
      expect.objectContaining({ code: 'E_TRACE', message: expect.stringContaining('line 2 of the trace') }),
    )
    const costly = { ...base, type: 'run_end', status: 'final', answer: 'a', usage: { costUsd: '1' } }
    expect(() => parseTrace(line(costly), { mode: 'strict' })).toThrow(/line 1 .*usage/)
    const read = parseTrace([line(final), line({ ...base, type: 'later_kind' }), '{"torn'].join('\n'), {
      mode: 'strict',
    })
    expect(read).toEqual({ events: [final], issues: [] })
  })

  it('a missing file is E_TRACE; replay of a corrupt trace is E_TRACE naming the file and line', async () => {
    expect(() => readTrace(join(dir, 'none.jsonl'))).toThrow(
      expect.objectContaining({ code: 'E_TRACE', message: expect.stringContaining('not found') }),
    )
    const bad = join(dir, 'bad.jsonl')
    writeFileSync(bad, `${line(final)}\n${line({ ...base, type: 'error', code: 1 })}\n${line(final)}\n`)
    await expect(replay(bad)).rejects.toMatchObject({
      code: 'E_TRACE',
      message: expect.stringContaining(`line 2 of ${bad}`),
    })
  })
})
