// Servers written by hand, not by the kit: chunked bodies, Connection: close, short keep-alive
// timeouts and extra fields, as other people's servers (and the acceptance checks) behave.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createAnthropic, createGroq, createOpenAICompatible } from '../src/index.ts'

type Handler = (req: IncomingMessage, body: Record<string, unknown>, res: ServerResponse) => void

async function serve(handler: Handler, keepAliveTimeout = 5000) {
  const seen: { path: string; headers: IncomingMessage['headers']; body: Record<string, unknown> }[] = []
  const server = createServer((req, res) => {
    let raw = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => {
      raw += c
    })
    req.on('end', () => {
      const body = JSON.parse(raw) as Record<string, unknown>
      seen.push({ path: req.url ?? '', headers: req.headers, body })
      handler(req, body, res)
    })
  })
  server.keepAliveTimeout = keepAliveTimeout
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    seen,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

const chatCompletion = (text: string) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  system_fingerprint: 'fp',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: text, refusal: null },
      finish_reason: 'stop',
      logprobs: null,
    },
  ],
  usage: {
    prompt_tokens: 12,
    completion_tokens: 3,
    total_tokens: 15,
    completion_tokens_details: { reasoning_tokens: 0 },
  },
})

const messages = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'Say hi' },
]

describe('against independently written servers', () => {
  it('OpenAI-compatible: chunked body, Connection: close', async () => {
    await using s = await serve((req, _body, res) => {
      if (req.url !== '/v1/chat/completions') {
        res.writeHead(404).end()
        return
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', connection: 'close' })
      const text = JSON.stringify(chatCompletion('hi there'))
      res.write(text.slice(0, 10))
      res.end(text.slice(10))
    })
    const model = createOpenAICompatible({ baseURL: `${s.url}/v1`, apiKey: 'sk-test', model: 'llama3' })
    for (let i = 0; i < 3; i++) {
      const r = await model.generate({ messages })
      expect(r).toMatchObject({
        text: 'hi there',
        usage: { inputTokens: 12, outputTokens: 3 },
        finishReason: 'stop',
      })
    }
    expect(s.seen[0]?.headers.authorization).toBe('Bearer sk-test')
    expect(s.seen[0]?.body).toMatchObject({ model: 'llama3', messages })
  })

  it('survives a server that closes idle keep-alive sockets quickly, with retries off', async () => {
    await using s = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(chatCompletion('ok')))
    }, 30)
    const model = createOpenAICompatible({ baseURL: `${s.url}/v1`, model: 'm', maxRetries: 0 })
    for (let i = 0; i < 4; i++) {
      expect((await model.generate({ messages })).text).toBe('ok')
      await new Promise((resolve) => setTimeout(resolve, 25 + i * 10))
    }
  })

  it('Anthropic Messages: system field, anthropic-version and key headers', async () => {
    await using s = await serve((req, body, res) => {
      if (req.url !== '/v1/messages' || !req.headers['anthropic-version']) {
        res.writeHead(400, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'bad' } }))
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: body.model,
          content: [{ type: 'text', text: `system was: ${body.system}` }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: {
            input_tokens: 20,
            output_tokens: 5,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
          },
        }),
      )
    })
    const model = createAnthropic({ baseURL: s.url, apiKey: 'sk-ant-test', model: 'claude-haiku-4-5' })
    const r = await model.generate({ messages })
    expect(r).toMatchObject({
      text: 'system was: Be brief.',
      usage: { inputTokens: 20, outputTokens: 5 },
      finishReason: 'stop',
    })
    expect(s.seen[0]?.body).toMatchObject({
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Say hi' }],
    })
    expect(s.seen[0]?.headers['x-api-key']).toBe('sk-ant-test')
  })

  it('Groq: POST /openai/v1/chat/completions with a bearer key', async () => {
    await using s = await serve((req, _body, res) => {
      res.writeHead(req.url === '/openai/v1/chat/completions' ? 200 : 404, {
        'content-type': 'application/json',
      })
      res.end(JSON.stringify({ ...chatCompletion('groq says hi'), x_groq: { id: 'req_1' } }))
    })
    const r = await createGroq({
      baseURL: s.url,
      apiKey: 'gsk_test',
      model: 'llama-3.1-8b-instant',
    }).generate({ messages })
    expect(r.text).toBe('groq says hi')
    expect(s.seen[0]?.headers.authorization).toBe('Bearer gsk_test')
  })
})
