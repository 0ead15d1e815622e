// A server that echoes the key in its error bodies must not get it into any output of a run: the
// guest (error markers, caught errors), the root model's next prompt, the answer, the result, the
// trace file or the events. Real providers against loopback servers, through createRlm.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createOpenAI,
  createOpenAICompatible,
  type LanguageModel,
  SPECIFICATION_VERSION,
} from '@rlm/providers'
import { createOpenAICompatibleServer, echoCredentials, type ReceivedRequest } from '@rlm/providers/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { createRlm, type RlmEvent } from '../src/index.ts'
import { js } from './scripted.ts'

const isRoot = (req: ReceivedRequest): boolean =>
  (req.messages[0]?.content ?? '').includes('Recursive Language Model')
const rootTurn = (req: ReceivedRequest): number => req.messages.filter((m) => m.role === 'assistant').length

const GUEST_CODE = js(`const batch = await llm_query_batched(['a', 'b'])
let single = ''
try { await llm_query('c') } catch (e) { single = e.code + ' ' + e.message }
globalThis.seen = batch.join(' | ') + ' || ' + single
print(seen)`)

function traceFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'rlm-redact-')), 'trace.jsonl')
}

/** Every channel a run writes to, as one text per channel. */
async function runChannels(
  rlm: ReturnType<typeof createRlm>,
  requests: () => ReceivedRequest[],
): Promise<Record<'answer' | 'result' | 'trace' | 'events' | 'root model prompts', string>> {
  const events: RlmEvent[] = []
  const trace = traceFile()
  const result = await rlm.run({ query: 'q', context: 'some context', trace, onEvent: (e) => events.push(e) })
  return {
    answer: result.answer,
    result: JSON.stringify(result),
    trace: readFileSync(trace, 'utf8'),
    events: JSON.stringify(events),
    'root model prompts': JSON.stringify(
      requests()
        .filter(isRoot)
        .map((r) => r.messages),
    ),
  }
}

const savedKey = process.env.OPENAI_API_KEY
afterEach(() => {
  if (savedKey === undefined) delete process.env.OPENAI_API_KEY
  else process.env.OPENAI_API_KEY = savedKey
})

describe('keys echoed by a server stay on the host', () => {
  it('a key from the provider settings: batched markers, a caught single-call error, every output', async () => {
    const key = 'settings-key-a1b2c3d4e5f6'
    await using server = await createOpenAICompatibleServer({
      replies: (req) =>
        !isRoot(req) ? echoCredentials(req, 400) : rootTurn(req) === 0 ? GUEST_CODE : js('FINAL(seen)'),
    })
    const model = createOpenAICompatible({ baseURL: server.baseURL, apiKey: key, model: 'root' })
    const subModel = createOpenAICompatible({ baseURL: server.baseURL, apiKey: key, model: 'sub' })
    const channels = await runChannels(createRlm({ model, subModel }), () => server.requests)
    // The server did echo it, and the guest saw the errors (so the test can fail).
    expect(JSON.stringify(server.requests.map((r) => r.headers.authorization))).toContain(key)
    expect(channels.answer).toContain('[llm_query error E_PROVIDER_BAD_REQUEST')
    expect(channels.answer).toContain('|| E_PROVIDER_BAD_REQUEST')
    expect(channels.answer).toContain('<redacted>')
    for (const [channel, text] of Object.entries(channels)) expect(text, channel).not.toContain(key)
  })

  it('a key from OPENAI_API_KEY: a root call rejected with the key in its body ends the run redacted', async () => {
    const key = 'env-key-0f9e8d7c6b5a4'
    process.env.OPENAI_API_KEY = key
    await using server = await createOpenAICompatibleServer({ replies: (req) => echoCredentials(req, 401) })
    const model = createOpenAI({ baseURL: server.baseURL, model: 'gpt-4o-mini' })
    const rlm = createRlm({ model })
    const channels = await runChannels(rlm, () => server.requests)
    const result = JSON.parse(channels.result) as { status: string; error: { code: string; message: string } }
    expect(result.status).toBe('error')
    expect(result.error.code).toBe('E_PROVIDER_AUTH')
    expect(result.error.message).toContain('<redacted>')
    for (const [channel, text] of Object.entries(channels)) expect(text, channel).not.toContain(key)
  })

  it('a custom model that throws a Bearer or x-api-key value rlm was never told about', async () => {
    const token = 'unregistered-token-77aa88bb'
    const leaky: LanguageModel = {
      specificationVersion: SPECIFICATION_VERSION,
      provider: 'custom',
      modelId: 'leaky',
      contextWindow: undefined,
      async generate() {
        throw new Error(`upstream refused Authorization: Bearer ${token} (x-api-key: ${token})`)
      },
    }
    await using server = await createOpenAICompatibleServer({
      replies: (req) => (rootTurn(req) === 0 ? GUEST_CODE : js('FINAL(seen)')),
    })
    const model = createOpenAICompatible({ baseURL: server.baseURL, model: 'root' })
    const channels = await runChannels(createRlm({ model, subModel: leaky }), () => server.requests)
    expect(channels.answer).toContain('Bearer <redacted>')
    for (const [channel, text] of Object.entries(channels)) expect(text, channel).not.toContain(token)
  })
})
