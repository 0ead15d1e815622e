import { createRlm } from '@rlm/engine'
import { describe, expect, it } from 'vitest'
import { createLlamaCpp } from '../src/index.ts'
import { FINAL_BLOCK } from './grammars.ts'
import { writeTinyModel } from './tiny-llama-model.ts'

describe('an RLM run on llama.cpp', () => {
  it('completes createRlm(...).run() through the real runtime when a grammar forces FINAL', async () => {
    const model = await createLlamaCpp({
      modelPath: writeTinyModel(),
      gpu: false,
      threads: 1,
      grammar: FINAL_BLOCK,
    })
    const rlm = createRlm({ model, budget: { maxCostUsd: 0.01 } })
    const result = await rlm.run({ query: 'Name the animal.', context: 'The animal is a cat.\n'.repeat(50) })
    expect(result.status).toBe('final')
    expect(result.answer).toMatch(/^[a-z]{3,8}$/)
    expect(result.usage.calls).toBe(1)
    // Counted by the model's own tokenizer: the system prompt alone is thousands of byte tokens.
    expect(result.usage.inputTokens).toBeGreaterThan(1000)
    expect(result.usage.outputTokens).toBeGreaterThan(15)
  })
})
