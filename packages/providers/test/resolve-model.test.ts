import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCache, createScripted, parseModelId, resolveModel } from '../src/index.ts'
import { createOpenAICompatibleServer } from '../src/testing/index.ts'

let project: string
beforeAll(async () => {
  // A user project with a custom provider package installed in node_modules.
  project = await mkdtemp(join(tmpdir(), 'rlm-resolve-'))
  const pkg = join(project, 'node_modules', 'rlm-provider-upper')
  await mkdir(pkg, { recursive: true })
  await writeFile(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: 'rlm-provider-upper',
      type: 'module',
      exports: { '.': { default: './index.js' } },
    }),
  )
  await writeFile(
    join(pkg, 'index.js'),
    `export default function createProvider(settings) {
      return {
        specificationVersion: 'v1', provider: 'upper', modelId: settings.model, contextWindow: 1000,
        async generate(request) {
          const text = request.messages.at(-1).content.toUpperCase() + (settings.suffix ?? '')
          return { text, usage: { inputTokens: 1, outputTokens: 1 }, finishReason: 'stop', costUsd: undefined, raw: null, timing: { startedAt: Date.now(), durationMs: 0 } }
        },
      }
    }`,
  )
  await writeFile(
    join(project, 'old-spec.mjs'),
    `export function createProvider() { return { specificationVersion: 'v0', provider: 'old', modelId: 'x', generate() {} } }`,
  )
})
afterAll(async () => {
  await rm(project, { recursive: true, force: true })
})

const ask = { messages: [{ role: 'user' as const, content: 'shout' }] }

describe('resolveModel', () => {
  it.each([
    ['openai:gpt-4o-mini', 'openai', 'gpt-4o-mini'],
    ['groq:llama-3.1-8b-instant', 'groq', 'llama-3.1-8b-instant'],
    ['anthropic:claude-haiku-4-5', 'anthropic', 'claude-haiku-4-5'],
    ['ollama:mistral:7b', 'ollama', 'mistral:7b'],
    ['openai-compatible:qwen2.5:7b@http://localhost:8000/v1', 'openai-compatible', 'qwen2.5:7b'],
  ])('resolves %s to provider %s, model %s', async (id, provider, modelId) => {
    const model = await resolveModel(id)
    expect(model.provider).toBe(provider)
    expect(model.modelId).toBe(modelId)
    expect(model.specificationVersion).toBe('v1')
  })

  it('calls the baseURL given in an openai-compatible id', async () => {
    await using server = await createOpenAICompatibleServer()
    const model = await resolveModel(`openai-compatible:llama3@${server.baseURL}`)
    expect((await model.generate(ask)).text).toBe('echo: shout')
    expect(server.requests[0]?.model).toBe('llama3')
  })

  it('passes settings through and applies a cache', async () => {
    await using server = await createOpenAICompatibleServer()
    const model = await resolveModel('ollama:phi3', { baseURL: server.baseURL, cache: createCache() })
    await model.generate(ask)
    expect((await model.generate(ask)).cached).toBe(true)
    expect(server.requests).toHaveLength(1)
  })

  it('shares one rate limiter among models resolved for the same provider and limits', async () => {
    await using server = await createOpenAICompatibleServer()
    const options = { baseURL: server.baseURL, rateLimit: { requestsPerMinute: 1, windowMs: 150 } }
    const root = await resolveModel('ollama:root-model', options)
    const sub = await resolveModel('ollama:sub-model', options)
    const t0 = performance.now()
    await root.generate(ask)
    await sub.generate(ask)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145)
  })

  it('loads a custom provider package from the user project by name', async () => {
    const model = await resolveModel('rlm-provider-upper:big', { resolveFrom: project })
    expect(model.provider).toBe('upper')
    expect(model.modelId).toBe('big')
    expect((await model.generate(ask)).text).toBe('SHOUT')
  })

  it("loads rlm's own optional provider packages by their provider name", async () => {
    // 'llama-cpp:<file>' imports @rlm/llama-cpp: a stand-in installed in the user's project.
    const pkg = join(project, 'node_modules', '@rlm', 'llama-cpp')
    await mkdir(pkg, { recursive: true })
    await writeFile(
      join(pkg, 'package.json'),
      JSON.stringify({ name: '@rlm/llama-cpp', type: 'module', exports: './index.js' }),
    )
    await writeFile(
      join(pkg, 'index.js'),
      `export default (s) => ({ specificationVersion: 'v1', provider: 'llama-cpp', modelId: s.model, contextWindow: 8, generate: async () => ({ text: 'local', usage: { inputTokens: 1, outputTokens: 1 }, finishReason: 'stop', costUsd: 0, raw: null, timing: { startedAt: 0, durationMs: 0 } }) })`,
    )
    const model = await resolveModel('llama-cpp:./models/q.gguf', { resolveFrom: project })
    expect(model).toMatchObject({ provider: 'llama-cpp', modelId: './models/q.gguf' })
    expect((await model.generate(ask)).text).toBe('local')
    await rm(pkg, { recursive: true })
    await expect(resolveModel('llama-cpp:q.gguf', { resolveFrom: project })).rejects.toMatchObject({
      code: 'E_CONFIG',
      message: expect.stringContaining('npm install @rlm/llama-cpp'),
    })
  })

  it('loads a configured alias: a package name, a factory or a module', async () => {
    const viaName = await resolveModel('up:m', {
      resolveFrom: project,
      providers: { up: 'rlm-provider-upper' },
    })
    expect((await viaName.generate(ask)).text).toBe('SHOUT')
    const scripted = createScripted(['from factory'])
    const viaFactory = await resolveModel('mine:m', { providers: { mine: () => scripted } })
    expect((await viaFactory.generate(ask)).text).toBe('from factory')
    const viaModule = await resolveModel('mod:m', {
      providers: { mod: { createProvider: () => createScripted(['mod']) } },
    })
    expect((await viaModule.generate(ask)).text).toBe('mod')
  })

  it('puts custom providers behind the retry layer', async () => {
    const { RlmError } = await import('@rlm/errors')
    const flaky = createScripted([
      new RlmError('E_PROVIDER_UNAVAILABLE', 'blip', { isRetryable: true }),
      'ok',
    ])
    const model = await resolveModel('flaky:m', { providers: { flaky: () => flaky }, maxRetries: 1 })
    expect((await model.generate(ask)).text).toBe('ok')
  })

  it('rejects malformed ids, unknown packages and other spec versions with E_CONFIG', async () => {
    expect(() => parseModelId('gpt-4o')).toThrow(expect.objectContaining({ code: 'E_CONFIG' }))
    await expect(resolveModel('openai-compatible:llama3')).rejects.toMatchObject({
      code: 'E_CONFIG',
      message: expect.stringContaining('<model>@<baseURL>'),
    })
    await expect(resolveModel('rlm-provider-missing:x', { resolveFrom: project })).rejects.toMatchObject({
      code: 'E_CONFIG',
      message: expect.stringContaining('npm install rlm-provider-missing'),
    })
    await expect(
      resolveModel('old:x', { resolveFrom: project, providers: { old: './old-spec.mjs' } }),
    ).rejects.toMatchObject({
      code: 'E_CONFIG',
      message: expect.stringContaining("'v0'"),
    })
    await expect(resolveModel('bad:x', { providers: { bad: () => ({}) as never } })).rejects.toMatchObject({
      code: 'E_CONFIG',
    })
  })
})
