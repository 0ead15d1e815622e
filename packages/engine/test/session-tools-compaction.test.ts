import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createRlm, type RlmEvent } from '../src/index.ts'
import { js } from './scripted.ts'

describe('sessions', () => {
  it('keep the sandbox and the history across queries over the same context', async () => {
    const model = createScripted([
      js('var count = context.split(",").length\nFINAL(count)'),
      js('FINAL(count * 2)'),
    ])
    const rlm = createRlm({ model })
    await using session = rlm.session({ context: 'a,b,c' })
    const first = await session.run({ query: 'How many items?' })
    const second = await session.run({ query: 'Double it.' })
    expect([first.answer, second.answer]).toEqual(['3', '6'])
    const second_request = model.requests[1]!.messages
    expect(second_request.some((m) => m.content.includes('How many items?'))).toBe(true)
    expect(second_request.at(-1)!.content).toContain('Double it.')
    expect(session.history.length).toBeGreaterThan(3)
    expect(first.runId).not.toBe(second.runId)
  })

  it('refuses to run after close', async () => {
    const session = createRlm({ model: createScripted([]) }).session({ context: 'x' })
    await session.close()
    await expect(session.run({ query: 'q' })).rejects.toMatchObject({ code: 'E_CONFIG' })
  })
})

describe('custom tools', () => {
  it('are callable from the guest with validated arguments and listed in the prompt', async () => {
    const calls: unknown[] = []
    const model = createScripted([
      js(
        'const w = await weather({ city: "Oslo" })\nprint(w.tempC)\ntry { await weather({ town: 1 }) } catch (e) { print("bad:", e.code, e.message) }',
      ),
      js('FINAL("done")'),
    ])
    const r = await createRlm({
      model,
      tools: {
        weather: {
          description: 'Current weather for a city.',
          parameters: z.object({ city: z.string() }),
          execute: async (args: unknown) => {
            calls.push(args)
            return { city: (args as { city: string }).city, tempC: -3 }
          },
        },
      },
    }).run({ query: 'q', context: 'c' })
    expect(r.answer).toBe('done')
    expect(calls).toEqual([{ city: 'Oslo' }])
    const out = r.tree.iterations[0]!.output
    expect(out).toContain('-3')
    expect(out).toMatch(/bad:.*E_TOOL_ARGS.*city/)
    expect(model.requests[0]!.messages[0]!.content).toContain(
      '`await weather(args)`: Current weather for a city.',
    )
    expect(model.requests[0]!.messages[0]!.content).toContain('"city"')
  })
})

describe('compaction', () => {
  it('summarizes older turns near the context window and keeps the sandbox state', async () => {
    const events: RlmEvent[] = []
    let turn = 0
    const model = createScripted(
      (req) => {
        const last = req.messages.at(-1)!.content
        if (last.includes('Summarize the work so far')) return 'SUMMARY: x holds the running total'
        turn++
        if (turn < 6)
          return js(`var x = (typeof x === "undefined" ? 0 : x) + ${turn}\nprint("${'padding '.repeat(60)}")`)
        return js('FINAL(x)')
      },
      { contextWindow: 1_500 },
    )
    const r = await createRlm({
      model,
      onEvent: (e) => events.push(e),
      compaction: { threshold: 0.85, keepIterations: 1 },
    }).run({
      query: 'q',
      context: 'c',
    })
    expect(r.answer).toBe('15')
    const compactions = events.filter((e) => e.type === 'compaction')
    expect(compactions.length).toBeGreaterThan(0)
    const after = model.requests.at(-1)!.messages
    expect(after[1]!.content).toContain('SUMMARY: x holds the running total')
    expect(after[1]!.content).toContain('Query: q')
    // roles still alternate after compaction
    for (let i = 2; i < after.length; i++) expect(after[i]!.role).not.toBe(after[i - 1]!.role)
    expect(events.filter((e) => e.type === 'model_reply' && e.purpose === 'compaction').length).toBe(
      compactions.length,
    )
  })
})
