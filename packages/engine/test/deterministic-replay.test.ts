import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm, type RlmConfigInput, type RlmEvent, replay } from '../src/index.ts'
import { js } from './scripted.ts'

const dir = mkdtempSync(join(tmpdir(), 'rlm-seed-'))

const ROOT_CELL = [
  'const picks = [Math.random(), Math.random()]',
  'const times = [Date.now(), new Date().toISOString(), Date()]',
  'const kids = await rlm_query_batched(["KID", "KID"], ["a", "b"])',
  'print(JSON.stringify({ picks, times, kids }))',
].join('\n')

/** A root that draws numbers and dates and starts two children that draw their own. */
function scriptedRun(config: Partial<RlmConfigInput> = {}) {
  const requests: string[] = []
  const model = createScripted((req) => {
    const head = req.messages[1]!.content
    const turn = req.messages.filter((m) => m.role === 'assistant').length
    if (head.includes('Query: KID')) return js('FINAL(String(Math.random()) + "@" + Date.now())')
    requests.push(req.messages.at(-1)!.content)
    return turn === 0 ? js(ROOT_CELL) : js('FINAL("done")')
  })
  const rlm = createRlm({ model, maxDepth: 2, prewarmSandboxes: 0, ...config })
  return { rlm, requests }
}

/** The printed output of every cell, by node, and the run_start event. */
async function outputs(
  config: Partial<RlmConfigInput>,
  options: { seed?: number; clockStartMs?: number; trace?: string },
) {
  const events: RlmEvent[] = []
  const { rlm, requests } = scriptedRun(config)
  const result = await rlm.run({ query: 'root', context: 'ctx', onEvent: (e) => events.push(e), ...options })
  expect(result.status).toBe('final')
  const cells = events
    .filter((e) => e.type === 'code_end' || e.type === 'child_end')
    .map((e) =>
      e.type === 'code_end' ? `${e.nodeId}#${e.iteration}: ${e.output}` : `${e.nodeId}= ${e.answer}`,
    )
    .sort()
  const start = events.find((e) => e.type === 'run_start')
  return { cells, requests, start: start?.type === 'run_start' ? start : undefined }
}

function rootPrint(cells: string[]): { picks: number[]; times: [number, string, string]; kids: string[] } {
  const line = cells.find((c) => c.startsWith('0#1: '))!
  return JSON.parse(line.slice(5))
}

describe('seeded runs (Math.random and Date in the REPL)', () => {
  it('two runs with the same seed and clock start print the same numbers and dates, so the next request is the same', async () => {
    const a = await outputs({}, { seed: 7, clockStartMs: 1_700_000_000_000 })
    const b = await outputs({}, { seed: 7, clockStartMs: 1_700_000_000_000 })
    expect(a.cells).toEqual(b.cells)
    expect(a.requests).toEqual(b.requests)
    expect(a.requests).toHaveLength(2)
    const printed = rootPrint(a.cells)
    expect(printed.times[0]).toBe(1_700_000_000_000)
    expect(printed.times[1]).toBe('2023-11-14T22:13:20.001Z')
    expect(printed.times[2]).toContain('Nov 14 2023')
    // each child draws from a seed of its own, derived from the run's seed and its index
    const [kid1, kid2] = printed.kids
    expect(kid1).not.toBe(kid2)
    expect(kid1?.split('@')[1]).toBe('1700000000000')
    expect(printed.picks).not.toContain(Number(kid1?.split('@')[0]))
    expect(a.start).toMatchObject({ seed: 7, clockStartMs: 1_700_000_000_000 })
  })

  it('different seeds draw different numbers', async () => {
    const a = rootPrint((await outputs({}, { seed: 1, clockStartMs: 0 })).cells)
    const b = rootPrint((await outputs({}, { seed: 2, clockStartMs: 0 })).cells)
    expect(a.picks).not.toEqual(b.picks)
    expect(a.kids).not.toEqual(b.kids)
    expect(a.times).toEqual(b.times)
  })

  it('a seeded run records its clock start, and passing it back reproduces the dates', async () => {
    const before = Date.now()
    const first = await outputs({}, { seed: 3 })
    const clockStartMs = first.start?.clockStartMs
    expect(clockStartMs).toBeGreaterThanOrEqual(before)
    expect(clockStartMs).toBeLessThanOrEqual(Date.now())
    const again = await outputs({}, { seed: 3, clockStartMs })
    expect(again.cells).toEqual(first.cells)
  })

  it('config.seed is the default, and a run option seed wins', async () => {
    const fromConfig = await outputs({ seed: 11 }, { clockStartMs: 5 })
    const fromRun = await outputs({}, { seed: 11, clockStartMs: 5 })
    const overridden = await outputs({ seed: 11 }, { seed: 12, clockStartMs: 5 })
    expect(fromConfig.cells).toEqual(fromRun.cells)
    expect(fromConfig.start?.seed).toBe(11)
    expect(overridden.start?.seed).toBe(12)
    expect(rootPrint(overridden.cells).picks).not.toEqual(rootPrint(fromRun.cells).picks)
  })

  it('replay of a seeded trace reproduces every cell, random numbers and dates included', async () => {
    const trace = join(dir, 'seeded.jsonl')
    await outputs({}, { seed: 99, trace })
    const again = await replay(trace)
    expect(again.status).toBe('final')
    expect(again.replay.divergences).toEqual([])
  })

  it('without a seed nothing changes: the real clock and an unseeded Math.random', async () => {
    const before = Date.now()
    const a = await outputs({}, {})
    const b = await outputs({}, {})
    expect(a.start?.seed).toBeUndefined()
    expect(a.start?.clockStartMs).toBeUndefined()
    expect(rootPrint(a.cells).picks).not.toEqual(rootPrint(b.cells).picks)
    expect(rootPrint(a.cells).times[0]).toBeGreaterThanOrEqual(before)
  })

  it('rejects a seed that is not a whole number from 0 to 2^53 - 1 with E_CONFIG', async () => {
    const model = createScripted([js('FINAL(1)')])
    expect(() => createRlm({ model, seed: 1.5 })).toThrow(expect.objectContaining({ code: 'E_CONFIG' }))
    const rlm = createRlm({ model })
    await expect(rlm.run({ query: 'q', seed: -1 })).rejects.toMatchObject({
      code: 'E_CONFIG',
      message: expect.stringContaining('seed'),
    })
    await expect(rlm.run({ query: 'q', seed: 1, clockStartMs: 1e20 })).rejects.toMatchObject({
      code: 'E_CONFIG',
      message: expect.stringContaining('clockStartMs'),
    })
  })
})

describe('seeded runs against hostile guest code', () => {
  // Every route a guest might take back to the real clock or random source.
  const ESCAPES = [
    'const times = []',
    'times.push(new (Object.getPrototypeOf(new Date()).constructor)().getTime())',
    'times.push(new Date().constructor.now())',
    'times.push(Reflect.construct(Date, []).getTime())',
    'times.push(new (class extends Date {})().getTime())',
    'const arrow = () => 0',
    'times.push(arrow["constr" + "uctor"]("return Date.now()")())',
    'times.push((0, globalThis["ev" + "al"])("Date.now()"))',
    'times.push(Date.parse(Date()))',
    'delete Date.now; times.push(typeof Date.now === "function" ? Date.now() : 0)',
    'const saved = Math.random; delete Math.random',
    'const gone = typeof Math.random',
    'Math.random = saved',
    'print(JSON.stringify({ times, gone, r: Math.random() }))',
  ].join('\n')

  it('finds no way from the guest back to the real clock or an unseeded Math.random', async () => {
    const run = async () => {
      const events: RlmEvent[] = []
      const model = createScripted([js(ESCAPES), js('FINAL("x")')])
      await createRlm({ model, prewarmSandboxes: 0 }).run({
        query: 'q',
        seed: 5,
        clockStartMs: 0,
        onEvent: (e) => events.push(e),
      })
      const cell = events.find((e) => e.type === 'code_end')
      return cell?.type === 'code_end' ? cell.output : ''
    }
    const a = await run()
    const b = await run()
    expect(a).toBe(b)
    const printed = JSON.parse(a) as { times: number[]; gone: string; r: number }
    expect(printed.gone).toBe('undefined')
    // 1970 plus a few reads: never the machine's clock
    for (const t of printed.times) expect(t).toBeLessThan(60_000)
  })
})

describe('custom tools on replay (replaySafe)', () => {
  it('runs replay-safe tools again and answers the others from the recording', async () => {
    const trace = join(dir, 'tools.jsonl')
    const calls = { lookup: 0, send: 0, fail: 0 }
    const tools = {
      lookup: {
        description: 'a pure lookup',
        replaySafe: true,
        execute: (args: unknown) => {
          calls.lookup++
          return { found: (args as { key: string }).key.toUpperCase() }
        },
      },
      send: {
        description: 'sends a message (a side effect)',
        execute: () => ({ sent: ++calls.send }),
      },
      fail: {
        description: 'fails',
        execute: () => {
          calls.fail++
          throw new Error('mailbox full')
        },
      },
    }
    const code = [
      'const a = await lookup({ key: "k" })',
      'const b = await send({ to: "x" })',
      'let c; try { await fail() } catch (e) { c = e.message }',
      'print(JSON.stringify({ a, b, c }))',
    ].join('\n')
    const events: RlmEvent[] = []
    const model = createScripted([js(code), js('FINAL("ok")')])
    await createRlm({ model, tools, trace, prewarmSandboxes: 0 }).run({
      query: 'q',
      onEvent: (e) => events.push(e),
    })
    expect(calls).toEqual({ lookup: 1, send: 1, fail: 1 })
    const ends = events.filter((e) => e.type === 'tool_end')
    expect(ends.map((e) => e.type === 'tool_end' && [e.name, e.replaySafe, e.result])).toEqual([
      ['lookup', true, undefined],
      ['send', false, { sent: 1 }],
      ['fail', false, undefined],
    ])
    const again = await replay(trace, { config: { tools } })
    expect(again.replay.divergences).toEqual([])
    // lookup ran again; send and fail were answered from the trace, never run a second time
    expect(calls).toEqual({ lookup: 2, send: 1, fail: 1 })
  })

  it('rejects a replaySafe marker that is not a boolean with E_CONFIG', () => {
    const model = createScripted([js('FINAL(1)')])
    const tools = { t: { description: 'd', execute: () => 1, replaySafe: 'yes' as unknown as boolean } }
    expect(() => createRlm({ model, tools })).toThrow(expect.objectContaining({ code: 'E_CONFIG' }))
  })
})
