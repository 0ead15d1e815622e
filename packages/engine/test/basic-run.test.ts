import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm, type RlmEvent } from '../src/index.ts'

const js = (code: string) => '```js\n' + code + '\n```'

describe('a run without recursion', () => {
  it('answers from the context with code and FINAL, and reports the tree and events', async () => {
    const model = createScripted([
      'Let me look.\n' + js('print(context.length, context.slice(0, 5))'),
      js('const n = context.split("\\n").length\nFINAL("lines: " + n)'),
    ])
    const events: RlmEvent[] = []
    const rlm = createRlm({ model, onEvent: (e) => events.push(e) })
    const result = await rlm.run({ query: 'How many lines?', context: 'alpha\nbeta\ngamma' })
    expect(result.status).toBe('final')
    expect(result.answer).toBe('lines: 3')
    expect(result.tree.iterations).toHaveLength(2)
    expect(result.tree.iterations[0]!.output).toBe('16 alpha\n')
    expect(result.tree.iterations[0]!.code).toEqual(['print(context.length, context.slice(0, 5))'])
    expect(result.subCalls).toBe(0)
    expect(result.maxDepthReached).toBe(1)
    expect(result.usage.calls).toBe(2)
    expect(result.usage.inputTokens).toBeGreaterThan(0)
    // the model never sees the context itself, only its shape
    expect(model.requests[0]!.messages[0]!.role).toBe('system')
    expect(model.requests[0]!.messages[1]!.content).toContain('How many lines?')
    expect(model.requests[1]!.messages.at(-1)!.content).toContain('16 alpha')
    const types = events.map((e) => e.type)
    expect(types[0]).toBe('run_start')
    expect(types.at(-1)).toBe('run_end')
    expect(types).toContain('iteration_end')
    expect(types).toContain('final')
    for (const e of events) {
      expect(e.runId).toBe(result.runId)
      expect(e.nodeId).toBe('0')
      expect(typeof e.timestamp).toBe('number')
    }
  })
})
