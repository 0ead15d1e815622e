import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm, type RlmEvent } from '../src/index.ts'
import { js, lastUser } from './scripted.ts'

// One root model for every node: its reply depends on which node asks (the query in the first
// user message) and the turn.
function treeModel() {
  return createScripted((req) => {
    const head = req.messages[1]!.content
    const turn = req.messages.filter((m) => m.role === 'assistant').length
    if (head.includes('Query: ROOT')) {
      if (turn === 0) {
        return js(
          'const half = Math.ceil(context.length / 2)\nconst parts = await rlm_query_batched(["MID", "MID"], [context.slice(0, half), context.slice(half)])\nprint(parts.join("|"))',
        )
      }
      return js('FINAL(parts.join("|"))')
    }
    if (head.includes('Query: MID')) {
      if (turn === 0) {
        return js(
          'const h = Math.ceil(context.length / 2)\nconst got = await rlm_query_batched(["LEAF", "LEAF"], [context.slice(0, h), context.slice(h)])',
        )
      }
      return js('FINAL(got.join("+"))')
    }
    if (head.includes('Query: LEAF')) return js('FINAL("[" + context + "]")')
    return 'unexpected'
  })
}

describe('recursion', () => {
  it('runs three levels, each child answering from its own slice', async () => {
    const events: RlmEvent[] = []
    const r = await createRlm({ model: treeModel(), maxDepth: 3, onEvent: (e) => events.push(e) }).run({
      query: 'ROOT',
      context: 'abcdefgh',
    })
    expect(r.status).toBe('final')
    expect(r.answer).toBe('[ab]+[cd]|[ef]+[gh]')
    expect(r.maxDepthReached).toBe(3)
    expect(r.tree.children.map((c) => c.id)).toEqual(['0.1', '0.2'])
    expect(r.tree.children[0]!.children.map((c) => [c.id, c.depth, c.answer])).toEqual([
      ['0.1.1', 2, '[ab]'],
      ['0.1.2', 2, '[cd]'],
    ])
    expect(r.subCalls).toBe(6)
    // 1 root turn x2, 2 mids x2, 4 leaves x1
    expect(r.usage.calls).toBe(10)
    const starts = events.filter((e) => e.type === 'child_start')
    expect(starts).toHaveLength(6)
    expect(starts[0]).toMatchObject({ nodeId: '0.1', depth: 1, parentId: '0', query: 'MID' })
  })

  it('at max depth rlm_query falls back to a plain sub-call with the text appended', async () => {
    const sub = createScripted((req) => `sub saw: ${lastUser(req)}`)
    const model = createScripted([js('FINAL(await rlm_query("Q", "TEXT"))')])
    const r = await createRlm({ model, subModel: sub, maxDepth: 1 }).run({ query: 'q', context: 'c' })
    expect(r.answer).toBe('sub saw: Q\n\nTEXT')
    expect(r.maxDepthReached).toBe(1)
    expect(r.tree.children).toEqual([])
  })

  it('fails rlm_query with E_DEPTH at max depth when configured, as a code error the loop reports', async () => {
    const model = createScripted([js('await rlm_query("Q")'), js('FINAL("gave up")')])
    const r = await createRlm({ model, maxDepth: 1, atMaxDepth: 'error' }).run({ query: 'q', context: 'c' })
    expect(r.tree.iterations[0]!.output).toContain('E_DEPTH')
    expect(r.answer).toBe('gave up')
  })

  it('gives guest code the stable code of a host error as err.code, with a clean message', async () => {
    const model = createScripted([
      js(
        'let seen; try { await rlm_query("Q") } catch (e) { seen = [e instanceof Error, e.code, e.message] }\n' +
          'try { lines(0, 1) } catch (e) { seen.push(e.code) }\nFINAL(seen)',
      ),
    ])
    const r = await createRlm({ model, maxDepth: 1, atMaxDepth: 'error' }).run({ query: 'q', context: 'c' })
    const [isError, code, message, syncCode] = JSON.parse(r.answer) as [boolean, string, string, string]
    expect([isError, code, syncCode]).toEqual([true, 'E_DEPTH', 'E_ARGUMENT'])
    expect(message).toMatch(/^rlm_query cannot start a child at depth 2: maxDepth is 1/)
  })

  it('a child without a text argument sees the parent context', async () => {
    const model = createScripted((req) => {
      const head = req.messages[1]!.content
      if (head.includes('Query: CHILD')) return js('FINAL("child read " + context.length)')
      const turn = req.messages.filter((m) => m.role === 'assistant').length
      return turn === 0 ? js('FINAL(await rlm_query("CHILD"))') : 'x'
    })
    const r = await createRlm({ model }).run({ query: 'PARENT', context: 'twelve chars' })
    expect(r.answer).toBe('child read 12')
    expect(r.maxDepthReached).toBe(2)
  })
})
