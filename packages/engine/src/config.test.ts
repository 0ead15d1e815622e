import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { parseConfig } from './config.ts'

const model = createScripted(['x'])

describe('parseConfig', () => {
  it('fills defaults', () => {
    const c = parseConfig({ model })
    expect(c).toMatchObject({
      maxDepth: 2,
      maxIterations: 30,
      concurrency: 16,
      outputLimit: 20_000,
      cache: false,
    })
    expect(c.budget.maxErrors).toBe(5)
  })

  it('accepts model id strings', () => {
    expect(parseConfig({ model: 'openai:gpt-4o-mini', subModel: 'groq:llama-3.1-8b-instant' }).subModel).toBe(
      'groq:llama-3.1-8b-instant',
    )
  })

  it.each([
    [{ model, maxDepth: 0 }, 'config.maxDepth'],
    [{ model, maxDepth: 51 }, 'config.maxDepth'],
    [{ model, concurrency: 1.5 }, 'config.concurrency'],
    [{ model, prewarmSandboxes: -1 }, 'config.prewarmSandboxes'],
    [{ model, prewarmSandboxes: 65 }, 'config.prewarmSandboxes'],
    [{ model, budget: { maxTokens: -1 } }, 'config.budget.maxTokens'],
    [{ model, budget: { maxCost: 1 } }, 'config.budget'],
    [{ model: 42 }, 'config.model'],
    [{}, 'config.model'],
    [{ model, logLevel: 'loud' }, 'config.logLevel'],
    [{ model, maxIterationz: 3 }, 'maxIterationz'],
    [{ model, tools: { FINAL: { description: 'x', execute: () => 1 } } }, 'config.tools.FINAL'],
    [{ model, tools: { 'bad-name': { description: 'x', execute: () => 1 } } }, 'config.tools.bad-name'],
  ])('rejects %j with E_CONFIG naming %s', (input, field) => {
    let error: unknown
    try {
      parseConfig(input)
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({ code: 'E_CONFIG' })
    expect((error as Error).message).toContain(field)
  })

  it('accepts tools with zod parameters', () => {
    const c = parseConfig({
      model,
      tools: { weather: { description: 'w', parameters: z.object({ city: z.string() }), execute: () => 1 } },
    })
    expect(Object.keys(c.tools)).toEqual(['weather'])
  })
})
