import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm, type RlmEvent } from '../src/index.ts'
import { js } from './scripted.ts'

const python = (code: string): string => `\`\`\`python\n${code}\n\`\`\``

describe('Python habits', () => {
  it('answers a python block with one corrective message, runs nothing, and does not count a code error', async () => {
    const model = createScripted([
      python('print(len(context))'),
      `\`\`\`repl\nfor line in context.split("\\n"):\n    print(f"{line}")\n\`\`\``,
      js('FINAL(context.length)'),
    ])
    const events: RlmEvent[] = []
    const r = await createRlm({ model, budget: { maxErrors: 1 }, onEvent: (e) => events.push(e) }).run({
      query: 'q',
      context: 'abc',
    })
    expect(r.status).toBe('final')
    expect(r.answer).toBe('3')
    expect(r.tree.iterations.map((i) => i.cells.length)).toEqual([0, 0, 1])
    const second = model.requests[1]!.messages.at(-1)!.content
    // the status line first, then the correction
    expect(second).toMatch(
      /^\[rlm status\] turn 2 of 30[^\n]*\nThat code is Python, but the REPL runs JavaScript/,
    )
    expect(second).toContain('len(x)  ->  x.length')
    const third = model.requests[2]!.messages.at(-1)!.content
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the JavaScript shown to the model
    expect(third).toContain('`total: ${n}`')
    expect(third).toContain('for (const x of xs)')
    expect(events.filter((e) => e.type === 'notice')).toHaveLength(2)
  })

  it('counts Python turns toward maxIterations', async () => {
    const model = createScripted([python('x = 1'), python('x = 2'), 'The answer is 2.'])
    const r = await createRlm({ model, maxIterations: 2 }).run({ query: 'q', context: 'c' })
    expect(r.status).toBe('budget_exhausted')
    expect(r.budget).toBe('maxIterations')
  })

  it('runs the JavaScript of a mixed reply and adds the correction after its output', async () => {
    const model = createScripted([
      python('print(len(context))') + '\n' + js('print("js ran")'),
      js('FINAL(1)'),
    ])
    const r = await createRlm({ model }).run({ query: 'q', context: 'c' })
    expect(r.tree.iterations[0]!.output).toBe('js ran\n')
    const fed = model.requests[1]!.messages.at(-1)!.content
    expect(fed).toMatch(/js ran[\s\S]*That code is Python/)
  })
})
