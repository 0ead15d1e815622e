import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { rootModelWindow, subModelWindow, windowChars } from './model-window.ts'

const model = (contextWindow?: number, provider = 'scripted', modelId = 'scripted') =>
  createScripted([], { provider, modelId, ...(contextWindow !== undefined && { contextWindow }) })

describe('subModelWindow', () => {
  it('prefers config.subContextWindow, then the model, then the catalog', () => {
    const root = model(1_000)
    expect(subModelWindow({ config: { subContextWindow: 500 }, model: root, subModel: model(9_000) })).toBe(
      500,
    )
    expect(subModelWindow({ config: {}, model: root, subModel: model(9_000) })).toBe(9_000)
    const catalogued = model(undefined, 'groq', 'llama-3.1-8b-instant')
    expect(subModelWindow({ config: {}, model: root, subModel: catalogued })).toBe(131_072)
  })

  it('is undefined when nothing knows the window, and ignores the root settings', () => {
    expect(
      subModelWindow({ config: { contextWindow: 7 }, model: model(7), subModel: model() }),
    ).toBeUndefined()
  })
})

describe('rootModelWindow', () => {
  it('prefers config.contextWindow, then the model, then the catalog', () => {
    const sub = model(1)
    expect(rootModelWindow({ config: { contextWindow: 64 }, model: model(128), subModel: sub })).toBe(64)
    expect(rootModelWindow({ config: {}, model: model(128), subModel: sub })).toBe(128)
    expect(
      rootModelWindow({ config: {}, model: model(undefined, 'openai', 'gpt-4o-mini'), subModel: sub }),
    ).toBe(128_000)
    expect(
      rootModelWindow({ config: { subContextWindow: 5 }, model: model(), subModel: sub }),
    ).toBeUndefined()
  })

  it('states a window in characters', () => {
    expect(windowChars(1_000)).toBe(4_000)
  })
})
