import { countTextTokens } from '@rlm/context'
import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm } from '../index.ts'
import { buildSystemPrompt, PROMPT_VERSION, type SystemPromptOptions } from './system-prompt.ts'

const base: SystemPromptOptions = {
  depth: 0,
  canRecurse: true,
  maxIterations: 30,
  outputLimit: 20_000,
  contextInline: true,
  tools: [],
  executionTimeoutMs: 120_000,
  concurrency: 16,
  subWindowTokens: 131_072,
  rootWindowTokens: 128_000,
  searchLimit: 100,
  maxSearchHits: 10_000,
}

const variants: Array<[string, Partial<SystemPromptOptions>]> = [
  ['inline, recursion', {}],
  ['host-backed, recursion', { contextInline: false }],
  ['host-backed, at max depth', { contextInline: false, canRecurse: false }],
  ['windows unknown', { subWindowTokens: undefined, rootWindowTokens: undefined }],
]

describe('the system prompt', () => {
  it.each(variants)('stays under 2,000 tokens (o200k_base, @rlm/context): %s', (_name, over) => {
    const tokens = countTextTokens(buildSystemPrompt({ ...base, ...over }))
    expect(tokens).toBeLessThan(2_000)
    expect(tokens).toBeGreaterThan(800)
  })

  it('is versioned', () => {
    expect(PROMPT_VERSION).toBe('rlm-js-2.0.0')
  })

  it('states the limits and habits the models in use get wrong', () => {
    const text = buildSystemPrompt(base)
    for (const fact of [
      'A block may run 2 min, then it is stopped.',
      'Its window is 131,072 tokens (about 524,288 characters)',
      'Your own window is 128,000 tokens',
      'At most 16 calls run at once; a larger batch runs in waves.',
      'It returns the first 100 hits unless you pass a larger `limit` (at most 10,000); page on with `{ from: hits.at(-1).end }`',
      'It throws on failure (try/catch).',
      'A failed item leaves a string starting "[llm_query error" in its slot',
      'Never `await` sub-calls one by one in a `for` loop',
      'await Promise.all(xs.map(x => llm_query(...)))',
      'The REPL is JavaScript, not Python',
    ]) {
      expect(text).toContain(fact)
    }
  })

  it('uses no example variable named `answer` and teaches none of the guide aliases', () => {
    for (const [, over] of variants) {
      const text = buildSystemPrompt({ ...base, ...over })
      expect(text).not.toMatch(
        /\b(const|let|var)\s+answer\b|\banswer\s*=|\banswer\.(content|ready)|\banswer\[/,
      )
      expect(text).not.toMatch(/get_context_length|get_context_chunk|call_submodel|aggregate_results/)
    }
  })

  it('is built from the run: timeout, concurrency and the sub-model window of the config or catalog', async () => {
    const model = createScripted(['```js\nFINAL(1)\n```'])
    const sub = createScripted([], { provider: 'groq', modelId: 'llama-3.1-8b-instant' })
    await createRlm({ model, subModel: sub, executionTimeoutMs: 30_000, concurrency: 4 }).run({
      query: 'q',
      context: 'c',
    })
    const system = model.requests[0]!.messages[0]!.content
    expect(system).toContain('A block may run 30 s')
    expect(system).toContain('At most 4 calls run at once')
    expect(system).toContain('Its window is 131,072 tokens')
  })
})
