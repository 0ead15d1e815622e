import { loadContext } from '@rlm/context'
import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm, type RlmEvent } from '../src/index.ts'
import { js, lastUser } from './scripted.ts'

// Multi-byte text: CJK, an emoji (a surrogate pair) and accents, so chunk boundaries fall inside them.
const TEXT = Array.from({ length: 40 }, (_, i) => `${i}: 東京 café 😀 ü\n`).join('')

describe('context ranges in sub-call prompts', () => {
  it('sends prompt + blank line + the host-sliced range, for chunk objects over a loaded context', async () => {
    const ctx = await loadContext({ text: TEXT })
    const sub = createScripted((req) => `len=${lastUser(req).length}`)
    const model = createScripted([
      js(
        'const parts = chunks({ strategy: "fixed", size: 97 })\nconst out = await llm_query_batched(parts.map(c => ({ prompt: "Read:", range: c })))\nconst one = await llm_query("Single:", { range: { start: 3, end: 11 } })\nFINAL(parts.length + ";" + out.filter(is_error).length)',
      ),
    ])
    const events: RlmEvent[] = []
    const r = await createRlm({ model, subModel: sub, onEvent: (e) => events.push(e) }).run({
      query: 'q',
      context: ctx,
    })
    expect(r.status).toBe('final')
    const parts = ctx.chunk({ strategy: 'fixed', size: 97 })
    expect(parts.length).toBeGreaterThan(5)
    expect(r.answer).toBe(`${parts.length};0`)
    const expected = [
      ...parts.map((c) => `Read:\n\n${TEXT.slice(c.start, c.end)}`),
      `Single:\n\n${TEXT.slice(3, 11)}`,
    ]
    expect(sub.requests.map((q) => q.messages)).toEqual(
      expected.map((content) => [{ role: 'user', content }]),
    )
    // The trace counts the full prompt, as if the guest had built it.
    expect(r.tree.subCalls.map((s) => s.promptChars)).toEqual(expected.map((p) => p.length))
    const starts = events.flatMap((e) => (e.type === 'subcall_start' ? [e] : []))
    expect(starts[0]!.prompt).toBe(expected[0])
    expect(r.contextAccess.filter((a) => a.kind === 'subcallRange').map((a) => [a.start, a.end])).toEqual([
      ...parts.map((c) => [c.start, c.end]),
      [3, 11],
    ])
  })

  it('resolves ranges against a plain string context, surrogate pairs included', async () => {
    const sub = createScripted((req) => lastUser(req))
    const i = TEXT.indexOf('😀')
    const model = createScripted([
      js(
        `FINAL(await llm_query_batched([{ prompt: "P", range: { start: ${i + 1}, end: ${i + 9} } }, "plain"]))`,
      ),
    ])
    const r = await createRlm({ model, subModel: sub }).run({ query: 'q', context: TEXT })
    expect(JSON.parse(r.answer)).toEqual([`P\n\n${TEXT.slice(i + 1, i + 9)}`, 'plain'])
  })

  it('gives a bad range E_ARGUMENT in its own slot and keeps the batch', async () => {
    const sub = createScripted((req) => `ok:${lastUser(req)}`)
    const model = createScripted([
      js(
        `const out = await llm_query_batched([
  { prompt: "a", range: { start: 0, end: 2 } },
  { prompt: "b", range: { start: 5, end: ${TEXT.length + 1} } },
  { prompt: "c", range: { start: 1.5, end: 4 } },
  { prompt: "d", range: { start: 4, end: 2 } },
  { prompt: "e", range: "0-4" },
  { range: { start: 0, end: 1 } },
  "f",
])
print(JSON.stringify(out))`,
      ),
      js(
        'try { await llm_query("x", { range: { start: -1, end: 3 } }) } catch (e) { print("caught", e.code, e.message) }\nFINAL("done")',
      ),
    ])
    const r = await createRlm({ model, subModel: sub }).run({ query: 'q', context: TEXT })
    expect(r.status).toBe('final')
    const out = JSON.parse(r.tree.iterations[0]!.output) as string[]
    expect(out[0]).toBe(`ok:a\n\n${TEXT.slice(0, 2)}`)
    expect(out[1]).toMatch(
      /^\[llm_query error E_ARGUMENT: llm_query_batched \(item 1\): range .*need 0 <= start <= end <= 670/,
    )
    expect(out[2]).toMatch(
      /^\[llm_query error E_ARGUMENT: .*range\.start must be an integer character offset, got 1\.5/,
    )
    expect(out[3]).toMatch(/^\[llm_query error E_ARGUMENT: .*range \{ start: 4, end: 2 \} is not inside/)
    expect(out[4]).toMatch(/^\[llm_query error E_ARGUMENT: .*range must be an object \{ start, end \}/)
    expect(out[5]).toMatch(
      /^\[llm_query error E_ARGUMENT: .*each prompt must be a string or \{ prompt: string/,
    )
    expect(out[6]).toBe('ok:f')
    expect(sub.requests).toHaveLength(2)
    expect(r.tree.iterations[1]!.output).toMatch(
      /caught E_ARGUMENT .*range \{ start: -1, end: 3 \} is not inside/,
    )
    expect(r.contextAccess.filter((a) => a.kind === 'subcallRange')).toHaveLength(1)
  })

  it('hands a child RLM a range of the context, alone or batched', async () => {
    const model = createScripted((req) => {
      const head = req.messages[1]!.content
      if (head.includes('Query: ROOT')) {
        const turn = req.messages.filter((m) => m.role === 'assistant').length
        if (turn === 0)
          return js(
            `const a = await rlm_query("LEAF", { start: 0, end: 14 })\nconst b = await rlm_query_batched(["LEAF", "LEAF", "LEAF"], [chunks({ size: 20 })[1], "given", { start: 2, end: 1 }])\nprint(JSON.stringify([a, ...b]))`,
          )
        return js('FINAL("done")')
      }
      return js('FINAL("[" + context + "]")')
    })
    const r = await createRlm({ model, maxDepth: 2 }).run({ query: 'ROOT', context: TEXT })
    expect(r.status).toBe('final')
    const out = JSON.parse(r.tree.iterations[0]!.output) as string[]
    expect(out.slice(0, 3)).toEqual([`[${TEXT.slice(0, 14)}]`, `[${TEXT.slice(20, 40)}]`, '[given]'])
    expect(out[3]).toMatch(
      /^\[rlm_query error E_ARGUMENT: rlm_query_batched \(item 2\): range \{ start: 2, end: 1 \}/,
    )
    expect(r.contextAccess.filter((a) => a.kind === 'subcallRange' && a.nodeId === '0')).toHaveLength(2)
  })
})
