import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm } from '../src/index.ts'
import { js } from './scripted.ts'

async function finalOf(reply: string): Promise<string> {
  const r = await createRlm({ model: createScripted([reply]) }).run({ query: 'q', context: 'ctx' })
  expect(r.status).toBe('final')
  return r.answer
}

describe('FINAL with tricky values', () => {
  it.each([
    [
      'a string with quotes, backticks and a fence',
      js('FINAL("He said \\"```js\\" and `x`)\\n\\nFINAL(\'no\')")'),
      'He said "```js" and `x`)\n\nFINAL(\'no\')',
    ],
    ['a number', js('FINAL(42)'), '42'],
    ['zero', js('FINAL(0)'), '0'],
    ['an empty string', js('FINAL("")'), ''],
    ['null', js('FINAL(null)'), 'null'],
    ['undefined', js('FINAL(undefined)'), 'undefined'],
    ['a nested object', js('FINAL({ a: [1, { b: "c" }], d: null })'), '{"a":[1,{"b":"c"}],"d":null}'],
    ['a BigInt', js('FINAL(12345678901234567890n)'), '12345678901234567890'],
    ['a cyclic object', js('const o = { n: 1 }; o.self = o; FINAL(o)'), '[object Object]'],
    [
      'a fence line inside a block comment, escaped backticks in a template',
      js('/*\n```\n*/\nconst t = `line 1\n\\`\\`\\`\nline 3`\nFINAL(t)'),
      'line 1\n```\nline 3',
    ],
    ['FINAL_VAR with a name', js('const result = "from var"\nFINAL_VAR("result")'), 'from var'],
    ['FINAL_VAR with the value itself', js('const result = { k: 1 }\nFINAL_VAR(result)'), '{"k":1}'],
    [
      'FINAL called after await inside an async function',
      js('async function go() { await null; FINAL("later") }\nawait go()'),
      'later',
    ],
    [
      'FINAL inside try/catch after an error',
      js('try { null.x } catch (e) { FINAL("recovered: " + e.constructor.name) }'),
      'recovered: TypeError',
    ],
    [
      'FINAL_VAR written as text after the code, the paper convention',
      js('var answer = "paper style"') + '\n\nFINAL_VAR(answer)',
      'paper style',
    ],
    ['unicode', js('FINAL("日本語 🎉 \\u0000 end")'), '日本語 🎉 \u0000 end'],
  ])('%s', async (_name, reply, expected) => {
    expect(await finalOf(reply)).toBe(expected)
  })

  it('FINAL_VAR with an unknown name is a code error the model sees, not an answer', async () => {
    const model = createScripted([js('FINAL_VAR("nope")'), js('FINAL("fixed")')])
    const r = await createRlm({ model }).run({ query: 'q', context: 'c' })
    expect(r.tree.iterations[0]!.output).toContain('no variable named "nope"')
    expect(r.answer).toBe('fixed')
  })

  it('stops at the block that called FINAL: later blocks of the reply do not run', async () => {
    const model = createScripted([js('FINAL("first")') + '\n' + js('print("never")')])
    const r = await createRlm({ model }).run({ query: 'q', context: 'c' })
    expect(r.answer).toBe('first')
    expect(r.tree.iterations[0]!.cells).toHaveLength(1)
  })

  it('a reply with no code gets one corrective message, then the loop goes on', async () => {
    const model = createScripted(['I think the answer is probably 7.', js('FINAL("7")')])
    const r = await createRlm({ model }).run({ query: 'q', context: 'c' })
    expect(r.answer).toBe('7')
    expect(model.requests[1]!.messages.at(-1)!.content).toMatch(/no ```js code block/)
  })
})

describe('the answer object', () => {
  it.each([
    ['content then ready', js('answer.content = "dotted"\nanswer.ready = true'), 'dotted'],
    [
      'bracket keys and Python constants',
      js('answer["content"] = "bracketed"; answer["ready"] = True'),
      'bracketed',
    ],
    ['a rebound object', js('answer = { content: "rebound", ready: true }'), 'rebound'],
    [
      'non-string content, serialised as FINAL does',
      js('answer.content = { a: [1, 2] }; answer.ready = true'),
      '{"a":[1,2]}',
    ],
    [
      'FINAL in the same cell wins',
      js('answer.content = "object"; answer.ready = true; FINAL("final")'),
      'final',
    ],
    [
      'FINAL in the same cell wins, in either order',
      js('FINAL("final"); answer = { content: "x", ready: true }'),
      'final',
    ],
  ])('%s', async (_name, reply, expected) => {
    expect(await finalOf(reply)).toBe(expected)
  })

  it('does not end the run on content without ready, nor on a rebinding to a non-object', async () => {
    const model = createScripted([
      js('answer.content = "draft"'),
      js('answer = "just a string"'),
      js('answer = { content: "draft 2" }\nanswer.ready = 1'),
      js('answer.ready = true'),
    ])
    const r = await createRlm({ model }).run({ query: 'q', context: 'c' })
    expect(r.status).toBe('final')
    expect(r.answer).toBe('draft 2')
    expect(r.tree.iterations.map((i) => i.final)).toEqual([false, false, false, true])
  })

  it('stops at the block that made the answer ready', async () => {
    const model = createScripted([
      js('answer.content = 1; answer.ready = true') + '\n' + js('print("never")'),
    ])
    const r = await createRlm({ model }).run({ query: 'q', context: 'c' })
    expect(r.answer).toBe('1')
    expect(r.tree.iterations[0]!.cells).toHaveLength(1)
  })

  it('is a reserved name: no tool may take it', () => {
    expect(() =>
      createRlm({
        model: createScripted([]),
        tools: { answer: { description: 'x', execute: () => 1 } },
      }),
    ).toThrow(/tools\.answer: this name is taken by the built-in guest API/)
  })
})
