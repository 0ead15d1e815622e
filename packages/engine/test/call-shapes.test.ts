import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm, type RlmEvent } from '../src/index.ts'
import { js, lastUser } from './scripted.ts'

const NUMBERS = '3 4\n10 20\n1 1 1\n7\n'

/** The root runs `rootCode` once; every child answers with its context's length. */
function lengthChildren(rootCode: string) {
  return createScripted((req) =>
    req.messages[1]!.content.includes('Query: ROOT') ? js(rootCode) : js('FINAL(String(context.length))'),
  )
}

describe('call shapes: rlm_query_batched', () => {
  it('starts one child per object item, each with its own query and context, and sums their answers', async () => {
    const model = createScripted((req) => {
      const head = req.messages[1]!.content
      if (head.includes('Query: ROOT')) {
        const turn = req.messages.filter((m) => m.role === 'assistant').length
        if (turn > 0) return js('FINAL(total)')
        return js(
          [
            'const parts = context.split("\\n").filter(Boolean)',
            'const answers = await rlm_query_batched(parts.map(p => ({ query: "SUM the numbers", context: p })))',
            'const total = answers.reduce((s, a) => s + Number(a), 0)',
            'print(total)',
          ].join('\n'),
        )
      }
      return js('FINAL(context.split(" ").reduce((s, n) => s + Number(n), 0))')
    })
    const events: RlmEvent[] = []
    const r = await createRlm({ model, maxDepth: 2, onEvent: (e) => events.push(e) }).run({
      query: 'ROOT',
      context: NUMBERS,
    })
    expect(r.status).toBe('final')
    expect(r.answer).toBe('47')
    const starts = events.flatMap((e) => (e.type === 'child_start' ? [e] : []))
    expect(starts).toHaveLength(4)
    expect(starts.map((s) => s.query)).toEqual(Array(4).fill('SUM the numbers'))
    expect(starts.map((s) => s.contextLength)).toEqual([3, 5, 5, 1])
    const heads = model.requests.map((q) => q.messages[1]!.content)
    expect(heads.some((h) => h.includes('[object Object]'))).toBe(false)
    expect(r.tree.children.map((c) => c.answer)).toEqual(['7', '30', '3', '7'])
  })

  it('takes queries with a texts array, strings and { prompt, text } alike, and the context itself', async () => {
    const model = lengthChildren(
      'FINAL(await rlm_query_batched(["LEN", { prompt: "LEN", text: "abc" }, { query: "LEN", range: { start: 0, end: 4 } }, { query: "LEN", context }], ["xy"]))',
    )
    // contextInlineLimit 0: `context` is the host-backed object, which crosses as a marker.
    const r = await createRlm({ model, maxDepth: 2, contextInlineLimit: 0 }).run({
      query: 'ROOT',
      context: NUMBERS,
    })
    expect(JSON.parse(r.answer)).toEqual(['2', '3', '4', String(NUMBERS.length)])
  })

  it('gives a bad item an E_ARGUMENT marker naming the accepted shapes, and runs the rest', async () => {
    const model = lengthChildren(
      'FINAL(await rlm_query_batched([{ query: "LEN", context: "ab" }, { question: "LEN" }, 42, { query: "LEN", model: "gpt-4" }]))',
    )
    const r = await createRlm({ model, maxDepth: 2 }).run({ query: 'ROOT', context: NUMBERS })
    const out = JSON.parse(r.answer) as string[]
    expect(out[0]).toBe('2')
    expect(out[1]).toMatch(
      /^\[rlm_query error E_ARGUMENT: rlm_query_batched \(item 1\): unknown key "question"/,
    )
    expect(out[1]).toContain('Accepted: rlm_query_batched(queries, texts?)')
    expect(out[2]).toMatch(/item 2\): each prompt must be a string or \{ prompt: string/)
    expect(out[3]).toMatch(/item 3\): unknown key "model"/)
    expect(r.tree.children).toHaveLength(1)
  })
})

describe('call shapes: llm_query and llm_query_batched', () => {
  it('accepts strings, { prompt | query, context | text | range, maxOutputTokens } and a texts array', async () => {
    const sub = createScripted((req) => `${req.maxOutputTokens ?? '-'}|${lastUser(req)}`)
    const model = createScripted([
      js(
        [
          'const c = chunks({ size: 4 })[0]',
          'const a = await llm_query_batched([',
          '  "plain",',
          '  { prompt: "P", context: "ctx" },',
          '  { query: "Q", text: "txt", maxOutputTokens: 7 },',
          '  { prompt: "R", range: c },',
          '  { prompt: "C", context: c },',
          '], { maxOutputTokens: 50 })',
          'const b = await llm_query_batched(["x", "y"], ["one", c])',
          'const d = [await llm_query("S", "given"), await llm_query({ prompt: "O", text: "t", maxOutputTokens: 3 }), await llm_query("N", { context: c })]',
          'FINAL([...a, ...b, ...d])',
        ].join('\n'),
      ),
    ])
    const r = await createRlm({ model, subModel: sub }).run({ query: 'q', context: NUMBERS })
    expect(JSON.parse(r.answer)).toEqual([
      '50|plain',
      '50|P\n\nctx',
      '7|Q\n\ntxt',
      '50|R\n\n3 4\n',
      '50|C\n\n3 4\n',
      '-|x\n\none',
      '-|y\n\n3 4\n',
      '-|S\n\ngiven',
      '3|O\n\nt',
      '-|N\n\n3 4\n',
    ])
  })

  it('points a single call given an array to the batched form, and names the shapes for anything else', async () => {
    const model = createScripted([
      js(
        [
          'const seen = []',
          'const tryIt = async (f) => { try { await f() } catch (e) { seen.push(e.code + ": " + e.message) } }',
          'await tryIt(() => llm_query(["a", "b"]))',
          'await tryIt(() => rlm_query(["a", "b"]))',
          'await tryIt(() => llm_query(42))',
          'await tryIt(() => llm_query("a", { model: "gpt-4o" }))',
          'await tryIt(() => llm_query_batched("a"))',
          'await tryIt(() => llm_query({ prompt: "a", context: "x", text: "y" }))',
          'FINAL(seen)',
        ].join('\n'),
      ),
    ])
    const r = await createRlm({ model, maxDepth: 2 }).run({ query: 'q', context: 'c' })
    const seen = JSON.parse(r.answer) as string[]
    expect(seen).toHaveLength(6)
    expect(seen[0]).toMatch(
      /^E_ARGUMENT: llm_query takes one prompt, not an array: use llm_query_batched\(prompts\)/,
    )
    expect(seen[1]).toMatch(
      /^E_ARGUMENT: rlm_query takes one query, not an array: use rlm_query_batched\(queries\)/,
    )
    expect(seen[2]).toMatch(
      /^E_ARGUMENT: llm_query: the first argument is number\. Accepted: llm_query\(prompt\)/,
    )
    expect(seen[3]).toMatch(/^E_ARGUMENT: llm_query: unknown option "model"/)
    expect(seen[4]).toMatch(/^E_ARGUMENT: llm_query_batched: the first argument is string, not an array/)
    expect(seen[5]).toMatch(/give one of context, text or range, not context and text/)
  })
})

describe('call shapes: rlm_query at max depth', () => {
  it('passes this node context to the sub-model when no text is given and it fits the window', async () => {
    const sub = createScripted((req) => `saw ${lastUser(req).length}`)
    const model = createScripted([js('FINAL(await rlm_query("Q"))')])
    const r = await createRlm({ model, subModel: sub, maxDepth: 1, subContextWindow: 1_000 }).run({
      query: 'q',
      context: NUMBERS,
    })
    expect(r.answer).toBe(`saw ${`Q\n\n${NUMBERS}`.length}`)
    expect(r.contextAccess.filter((a) => a.kind === 'subcallRange')).toMatchObject([
      { start: 0, end: NUMBERS.length },
    ])
  })

  it('fails with E_CONTEXT_WINDOW, before any call, when the context does not fit the sub-model window', async () => {
    const sub = createScripted(() => 'never')
    const model = createScripted([
      js('try { await rlm_query("Q") } catch (e) { FINAL(e.code + ": " + e.message) }'),
    ])
    const r = await createRlm({ model, subModel: sub, maxDepth: 1, subContextWindow: 100 }).run({
      query: 'q',
      context: 'word '.repeat(2_000),
    })
    // The same check, message and figures as every sub-call prompt (assertFitsWindow), plus what to do here.
    expect(r.answer).toMatch(
      /^E_CONTEXT_WINDOW: prompt has [\d,]+ tokens, the sub-model's window is 100; rlm_query at max depth \(maxDepth 1\) is one sub-model call.*chunks\(\{ strategy: 'tokens', size: 50 \}\)/,
    )
    expect(sub.requests).toHaveLength(0)
    expect(r.tree.subCalls).toHaveLength(0)
  })

  it('counts the tokens the sub-model would see, not an estimate: a context near the window is checked exactly', async () => {
    // Near the bound the prompt is read and counted once for the check, then sent: one access.
    const sub = createScripted((req) => `saw ${lastUser(req).length}`)
    const model = createScripted([js('FINAL(await rlm_query("Q"))')])
    const r = await createRlm({ model, subModel: sub, maxDepth: 1, subContextWindow: 30 }).run({
      query: 'q',
      context: NUMBERS,
    })
    expect(r.answer).toBe(`saw ${`Q\n\n${NUMBERS}`.length}`)
    expect(r.contextAccess.filter((a) => a.kind === 'subcallRange')).toHaveLength(1)

    // Output tokens kept for the answer count against the window, as for llm_query.
    const tight = createScripted([
      js(
        'try { await rlm_query({ query: "Q", maxOutputTokens: 25 }) } catch (e) { FINAL(e.code + ": " + e.message) }',
      ),
    ])
    const refused = await createRlm({ model: tight, subModel: sub, maxDepth: 1, subContextWindow: 30 }).run({
      query: 'q',
      context: NUMBERS,
    })
    expect(refused.answer).toMatch(
      /^E_CONTEXT_WINDOW: prompt has \d+ tokens, the sub-model's window is 30 \(25 of it kept/,
    )
    expect(sub.requests).toHaveLength(1)
  })
})
