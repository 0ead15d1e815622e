// With a tracer provider registered through @opentelemetry/api, each run, child RLM, code cell and
// model call is a span with the GenAI semantic-convention attributes, nested as the tree is.

import { afterAll, describe, expect, it } from 'vitest'
import { scriptedRlm, startServer } from './harness.ts'
import { type RecordedSpan, registerRecordingTracer } from './recording-tracer.ts'

const tracing = registerRecordingTracer()
afterAll(() => tracing.unregister())

describe('OpenTelemetry spans', () => {
  it('a run, its child, cells and model calls, with GenAI attributes and the tree as parentage', async () => {
    const model = scriptedRlm({
      turns: [() => "FINAL(await rlm_query('inner question', 'alpha beta gamma'))"],
    })
    await using s = await startServer({ models: { m: model }, caps: { maxDepth: 2 } })
    const completion = await s.client.chat.completions.create({
      model: 'rlm',
      messages: [{ role: 'user', content: 'q' }],
    })
    expect(completion.choices[0]?.message.content).toBe('words: 5')
    const spans = tracing.spans
    for (const sp of spans) expect(sp.end, sp.name).toBeGreaterThanOrEqual(sp.start)
    const agents = spans.filter((sp) => sp.attributes['gen_ai.operation.name'] === 'invoke_agent')
    const root = agents.find((sp) => sp.attributes['rlm.run.id'] !== undefined) as RecordedSpan
    const child = agents.find((sp) => sp.attributes['rlm.node.id'] === '0.1') as RecordedSpan
    expect(root).toMatchObject({
      name: 'invoke_agent rlm',
      parentSpanId: undefined,
      attributes: expect.objectContaining({
        'gen_ai.agent.name': 'rlm',
        'gen_ai.provider.name': 'scripted',
        'gen_ai.request.model': 'scripted',
        'rlm.status': 'final',
      }),
    })
    expect(root.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0)
    expect(child.parentSpanId).toBe(root.spanId)
    const chats = spans.filter((sp) => sp.attributes['gen_ai.operation.name'] === 'chat')
    // the root's turn, the child's turn, and the child's rlm_query at max depth as a sub-call
    expect(chats.map((sp) => sp.name)).toEqual(['chat scripted', 'chat scripted', 'chat scripted'])
    for (const sp of chats) expect(sp.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0)
    expect(chats.filter((sp) => sp.parentSpanId === child.spanId)).toHaveLength(2)
    expect(chats.filter((sp) => sp.parentSpanId === root.spanId)).toHaveLength(1)
    const cells = spans.filter((sp) => sp.name === 'execute_tool repl')
    expect(cells.map((sp) => sp.parentSpanId).sort()).toEqual([root.spanId, child.spanId].sort())
  })
})
