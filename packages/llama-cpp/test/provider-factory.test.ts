import { isRlmError } from '@rlm/errors'
import { afterEach, describe, expect, it } from 'vitest'
import createProvider, { LLAMA_CPP_ENV } from '../src/index.ts'
import { writeTinyModel } from './tiny-llama-model.ts'

const saved = { ...process.env }
afterEach(() => {
  for (const name of Object.values(LLAMA_CPP_ENV)) {
    if (saved[name] === undefined) delete process.env[name]
    else process.env[name] = saved[name]
  }
})

describe('the provider factory resolveModel calls', () => {
  it('takes the path from the model id and llama.cpp settings from the environment', async () => {
    process.env[LLAMA_CPP_ENV.gpu] = 'false'
    process.env[LLAMA_CPP_ENV.threads] = '1'
    process.env[LLAMA_CPP_ENV.contextSize] = '1024'
    process.env[LLAMA_CPP_ENV.parallel] = '2'
    process.env[LLAMA_CPP_ENV.grammar] = 'root ::= "ok"'
    const path = writeTinyModel()
    const model = await createProvider({ model: path })
    expect(model.modelId).toBe(path)
    expect(model.contextWindow).toBe(1024)
    expect(model.backend).toMatch(/on CPU .*× 2 sequences/)
    expect((await model.generate({ messages: [{ role: 'user', content: 'hi' }] })).text).toBe('ok')
  })

  it('rejects a malformed variable with E_CONFIG naming it', async () => {
    process.env[LLAMA_CPP_ENV.threads] = 'many'
    const err = await createProvider({ model: 'x.gguf' }).catch((e: unknown) => e)
    expect(isRlmError(err) && err.code).toBe('E_CONFIG')
    expect((err as Error).message).toContain('RLM_LLAMA_CPP_THREADS must be a whole number')
  })
})
