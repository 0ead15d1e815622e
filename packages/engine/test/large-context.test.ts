import { loadContext } from '@rlm/context'
import { createOpenAICompatible, createScripted } from '@rlm/providers'
import { createOpenAICompatibleServer } from '@rlm/providers/testing'
import { describe, expect, it } from 'vitest'
import { createRlm } from '../src/index.ts'
import { js, lastUser } from './scripted.ts'

// ~1M tokens of log-like records with a few needles.
function bigContext(): string {
  const lines: string[] = []
  for (let i = 0; i < 100_000; i++) {
    lines.push(
      i % 25_000 === 777
        ? `${i} ALERT code=${i * 3} reactor temperature critical`
        : `${i} info service heartbeat ok latency=${i % 97}ms`,
    )
  }
  return lines.join('\n')
}

describe('large contexts', () => {
  it('answers over ~1M tokens through search + batched sub-calls', async () => {
    const text = bigContext()
    const ctx = await loadContext({ text })
    expect(ctx.estimateTokens()).toBeGreaterThan(900_000)
    const sub = createScripted((req) => {
      const m = /code=(\d+)/.exec(lastUser(req))
      return m ? m[1]! : 'none'
    })
    const model = createScripted([
      js(
        'print(describe())\nconst hits = search("ALERT code=\\\\d+", { limit: 10 })\nprint(hits.length, hits[0].line)',
      ),
      js(
        'const windows = hits.map(h => lines(h.line - 1, h.line + 1))\nconst codes = await llm_query_batched(windows.map(w => "Extract the alert code:\\n" + w))\nFINAL(codes.join(","))',
      ),
    ])
    const r = await createRlm({ model, subModel: sub }).run({
      query: 'Which alert codes fired?',
      context: ctx,
    })
    expect(r.answer).toBe('2331,77331,152331,227331')
    expect(r.contextAccess.map((a) => a.kind)).toEqual([
      'describe',
      'search',
      'lines',
      'lines',
      'lines',
      'lines',
    ])
    // the root model never got the context, only its shape
    const sent = model.requests.flatMap((q) => q.messages.map((m) => m.content)).join('').length
    expect(sent).toBeLessThan(30_000)
  })

  it('beyond the inline limit, `context` is a host-backed string-like object', async () => {
    const text = 'alpha line\nbeta line\ngamma line\n'.repeat(1000)
    const model = createScripted([
      js(
        [
          'print(typeof context, context.length)',
          'print(context.slice(0, 5), context.slice(-5).trim(), context.substring(6, 10))',
          'print(context.indexOf("gamma"), context.indexOf("gamma", 100), context.lastIndexOf("alpha"), context.includes("delta"))',
          'print(context.split("\\n").length, context.split(/line\\n/).length)',
          'print(context.match(/b(e)ta/).index, context.match(/gamma/g).length, [...context.matchAll(/alpha/g)].length)',
          'print(context.startsWith("alpha"), context.endsWith("line\\n"), context.charAt(1), context.search(/beta/))',
          'print(JSON.stringify({ c: context }).length)',
          'FINAL(context.slice(11, 20))',
        ].join('\n'),
      ),
    ])
    const r = await createRlm({ model, contextInlineLimit: 100 }).run({ query: 'q', context: text })
    expect(r.answer).toBe('beta line')
    const out = r.tree.iterations[0]!.output.split('\n')
    expect(out[0]).toBe(`object ${text.length}`)
    expect(out[1]).toBe('alpha line line')
    expect(out[2]).toBe(`21 ${text.indexOf('gamma', 100)} ${text.lastIndexOf('alpha')} false`)
    expect(out[3]).toBe(`${text.split('\n').length} ${text.split(/line\n/).length}`)
    expect(out[4]).toBe('11 1000 1000')
    expect(out[5]).toBe('true true l 11')
    expect(r.contextAccess.length).toBeGreaterThan(10)
    expect(model.requests[0]!.messages[0]!.content).toContain('too large for a plain string')
  })

  it('runs against an OpenAI-compatible server with createOpenAICompatible', async () => {
    await using server = await createOpenAICompatibleServer({
      replies: (req) => {
        const system = req.messages[0]?.role === 'system'
        if (!system) return `sub: ${req.messages.at(-1)!.content.length}`
        const turns = req.messages.filter((m) => m.role === 'assistant').length
        return turns === 0
          ? js('const a = await llm_query_batched(["12345", "1"])\nprint(a)')
          : js('FINAL(a.join(" & "))')
      },
      apiKey: 'test-key',
    })
    const model = createOpenAICompatible({
      baseURL: server.baseURL,
      apiKey: 'test-key',
      model: 'local-model',
    })
    const r = await createRlm({ model }).run({ query: 'q', context: 'some text' })
    expect(r.status).toBe('final')
    expect(r.answer).toBe('sub: 5 & sub: 1')
    expect(server.requests).toHaveLength(4)
    expect(r.usage.inputTokens).toBeGreaterThan(0)
  })
})
