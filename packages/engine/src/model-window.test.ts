import { createScripted, lookupModel } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm, type RunStartEvent } from './index.ts'
import type { LanguageModel } from './model-spec.ts'
import { rootModelWindow, subModelWindow, windowChars } from './model-window.ts'

/** The catalog as resolveModels injects it when @rlm/providers is installed. */
const catalogWindow = (m: LanguageModel) => lookupModel(m.provider, m.modelId).contextWindow

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
    expect(subModelWindow({ config: {}, model: root, subModel: catalogued, catalogWindow })).toBe(131_072)
    // Without the catalog (no @rlm/providers installed) the window is unknown.
    expect(subModelWindow({ config: {}, model: root, subModel: catalogued })).toBeUndefined()
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
      rootModelWindow({
        config: {},
        model: model(undefined, 'openai', 'gpt-4o-mini'),
        subModel: sub,
        catalogWindow,
      }),
    ).toBe(128_000)
    expect(
      rootModelWindow({ config: { subContextWindow: 5 }, model: model(), subModel: sub }),
    ).toBeUndefined()
  })

  it('comes from the catalog for spec models that report none, in a whole run', async () => {
    let start: RunStartEvent | undefined
    const root = createScripted(['```js\nFINAL("ok")\n```'], { provider: 'openai', modelId: 'gpt-4o-mini' })
    const sub = model(undefined, 'groq', 'llama-3.1-8b-instant')
    await createRlm({
      model: root,
      subModel: sub,
      onEvent: (e) => {
        if (e.type === 'run_start') start = e
      },
    }).run({ query: 'q', context: 'c' })
    expect(start?.settings.contextWindow).toBe(128_000)
    expect(start?.settings.subContextWindow).toBe(131_072)
  })

  it('states a window in characters', () => {
    expect(windowChars(1_000)).toBe(4_000)
  })
})
