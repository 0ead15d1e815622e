import { describe, expect, it } from 'vitest'
import * as env from '../src/provider-env.ts'

describe('@rlm/providers/env', () => {
  it('parses model ids at the first colon, as resolveModel does', () => {
    expect(env.parseModelId('ollama:mistral:7b')).toEqual({ provider: 'ollama', model: 'mistral:7b' })
    expect(env.parseModelId('@scope/pkg:m')).toEqual({ provider: '@scope/pkg', model: 'm' })
    for (const bad of ['gpt-4o', ':m', 'openai:']) {
      expect(() => env.parseModelId(bad)).toThrow(expect.objectContaining({ code: 'E_CONFIG' }))
    }
  })

  it('names every keyed built-in provider and the default servers', () => {
    for (const provider of Object.keys(env.PROVIDER_KEY_ENV))
      expect(env.BUILT_IN_PROVIDERS).toContain(provider)
    expect(new URL(env.OLLAMA_BASE_URL).port).toBe('11434')
    expect(new URL(env.OPENAI_BASE_URL).protocol).toBe('https:')
  })
})
