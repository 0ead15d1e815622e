import { describe, expect, it } from 'vitest'
import {
  createAnthropic,
  createGroq,
  createOpenAI,
  createOpenAICompatible,
  createScripted,
} from '../src/index.ts'
import { runConformance } from '../src/testing/index.ts'

describe('built-in providers pass the conformance suite with their real SDKs', () => {
  it('createOpenAICompatible (openai SDK, chat completions)', async () => {
    const report = await runConformance({ wire: 'openai', createModel: (s) => createOpenAICompatible(s) })
    expect(report.failed).toEqual([])
  })
  it('createOpenAI (openai SDK, chat completions)', async () => {
    const report = await runConformance({ wire: 'openai', createModel: (s) => createOpenAI(s) })
    expect(report.failed).toEqual([])
  })
  it('createGroq (groq-sdk)', async () => {
    const report = await runConformance({ wire: 'groq', createModel: (s) => createGroq(s) })
    expect(report.failed).toEqual([])
  })
  it('createAnthropic (@anthropic-ai/sdk, messages)', async () => {
    const report = await runConformance({ wire: 'anthropic', createModel: (s) => createAnthropic(s) })
    expect(report.failed).toEqual([])
  })
})

describe('the conformance suite', () => {
  it('fails a model that ignores the server and lists what broke', async () => {
    const report = await runConformance(
      { wire: 'openai', createModel: ({ model }) => createScripted(() => 'canned', { modelId: model }) },
      { throwOnFailure: false },
    )
    expect(report.passed).toContain('implements the spec')
    expect(report.failed.map((f) => f.name)).toContain('maps 401 to E_PROVIDER_AUTH')
    await expect(
      runConformance({
        wire: 'openai',
        createModel: ({ model }) => createScripted(() => 'canned', { modelId: model }),
      }),
    ).rejects.toThrow(/conformance checks failed/)
  })
})
