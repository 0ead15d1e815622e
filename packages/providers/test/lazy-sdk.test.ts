import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { isRlmError } from '@rlm/errors'
import { describe, expect, it } from 'vitest'
import { lazySdk } from '../src/lazy-sdk.ts'
import { createAnthropicServer, createOpenAICompatibleServer } from '../src/testing/index.ts'

const packageDir = fileURLToPath(new URL('..', import.meta.url))

// Runs in a fresh process so the module graph starts empty; records which vendor SDKs resolve.
const childScript = `
import { registerHooks } from 'node:module'
const seen = new Set()
registerHooks({
  resolve(specifier, context, next) {
    const r = next(specifier, context)
    const m = /.*node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(r.url)
    if (m) seen.add(m[1])
    return r
  },
})
const sdks = () => ['openai', 'groq-sdk', '@anthropic-ai/sdk'].filter((p) => seen.has(p))
const ask = { messages: [{ role: 'user', content: 'hi' }] }
const { createAnthropic, resolveModel } = await import('@rlm/providers')
const afterImport = sdks()
const model = await resolveModel('openai-compatible:m@' + process.env.OPENAI_URL)
const afterResolve = sdks()
const reply = await model.generate(ask)
const afterGenerate = sdks()
const claude = createAnthropic({ baseURL: process.env.ANTHROPIC_URL, apiKey: 'k' })
await claude.generate(ask)
console.log(JSON.stringify({ afterImport, afterResolve, afterGenerate, afterAnthropic: sdks(), text: reply.text }))
`

describe('vendor SDK loading', () => {
  it('loads no SDK at import, none for an OpenAI-compatible model on the default transport, and only the one a model uses, on its first call', async () => {
    await using openai = await createOpenAICompatibleServer({ replies: ['from openai'] })
    await using anthropic = await createAnthropicServer({ replies: ['from anthropic'] })
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=@rlm/source', '--input-type=module', '-e', childScript],
      {
        cwd: packageDir,
        env: { ...process.env, OPENAI_URL: openai.baseURL, ANTHROPIC_URL: anthropic.baseURL },
      },
    )
    expect(JSON.parse(stdout)).toEqual({
      afterImport: [],
      afterResolve: [],
      afterGenerate: [],
      afterAnthropic: ['@anthropic-ai/sdk'],
      text: 'from openai',
    })
  })

  it('loads an SDK once and shares it between callers', async () => {
    let loads = 0
    const load = lazySdk('fake-sdk', async () => ({ n: ++loads }))
    const [a, b] = await Promise.all([load(), load()])
    expect(a).toBe(b)
    expect(await load()).toBe(a)
    expect(loads).toBe(1)
  })

  it('reports an SDK that cannot load as E_CONFIG naming the package, and tries again next time', async () => {
    let attempts = 0
    const load = lazySdk('rlm-no-such-sdk', () => {
      attempts++
      // @ts-expect-error: the package does not exist, which is the point.
      return import('rlm-no-such-sdk')
    })
    const err = await load().catch((e: unknown) => e)
    expect(isRlmError(err) && err.code).toBe('E_CONFIG')
    expect((err as Error).message).toMatch(/'rlm-no-such-sdk' SDK .*npm install rlm-no-such-sdk/)
    await load().catch(() => {})
    expect(attempts).toBe(2)
  })
})
