// Who may call the server: a bearer token when one is set (the openai SDK sends its apiKey so),
// loopback Host and Origin only when none is, and no public bind without a token.

import { request } from 'node:http'
import OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { createServer } from '../src/index.ts'
import { scriptedRlm, startServer } from './harness.ts'

const TOKEN = 'test-token-0123456789abcdef'

/** A raw request with chosen Host and Origin headers (fetch would set Host itself). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('with a token', () => {
  it('the openai SDK with the token works; without it or with another, 401 E_AUTH', async () => {
    await using s = await startServer({ token: TOKEN })
    const ok = await s.client.chat.completions.create({
      model: 'rlm',
      messages: [{ role: 'user', content: 'q' }],
    })
    expect(ok.choices[0]?.message.content).toContain('answer to q')
    const wrong = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: 'not-the-token', maxRetries: 0 })
    const err = await wrong.models.list().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError)
    expect(err).toMatchObject({ status: 401, code: 'E_AUTH' })
    const none = await fetch(`${s.url}/v1/runs`)
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toBe('Bearer')
    expect(await none.json()).toMatchObject({ error: { code: 'E_AUTH', type: 'authentication_error' } })
    expect((await fetch(`${s.url}/metrics`)).status).toBe(401)
  })

  it('/healthz needs no token; only the viewer page and its stream take ?token=, on GET', async () => {
    await using s = await startServer({ token: TOKEN })
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200)
    const post = await fetch(`${s.url}/v1/runs?token=${TOKEN}`, { method: 'POST', body: '{"query":"q"}' })
    expect(post.status).toBe(401)
    expect((await fetch(`${s.url}/v1/models?token=${TOKEN}`)).status).toBe(401)
    const started = await s.api('/v1/runs', { method: 'POST', json: { query: 'q' } })
    const { id } = (await started.json()) as { id: string }
    expect((await fetch(`${s.url}/v1/runs/${id}/view?token=${TOKEN}`)).status).toBe(200)
    expect((await fetch(`${s.url}/v1/runs/${id}/view?token=nope`)).status).toBe(401)
    const events = await fetch(`${s.url}/v1/runs/${id}/events?token=${TOKEN}`)
    expect(events.status).toBe(200)
    await events.body?.cancel()
  })

  it('answers any Host once the token checks out (the token is the protection)', async () => {
    await using s = await startServer({ token: TOKEN })
    const r = await rawGet(`${s.url}/v1/models`, {
      host: 'rlm.example.com',
      authorization: `Bearer ${TOKEN}`,
    })
    expect(r.status).toBe(200)
  })

  it('may listen on every interface', async () => {
    const server = createServer({ models: { m: scriptedRlm() }, token: TOKEN, log: () => {} })
    await using listening = await server.listen({ host: '0.0.0.0', port: 0 })
    expect(listening.port).toBeGreaterThan(0)
  })
})

describe('without a token', () => {
  it('refuses to listen on a host that is not loopback', async () => {
    const server = createServer({ models: { m: scriptedRlm() }, log: () => {} })
    await expect(server.listen({ host: '0.0.0.0', port: 0 })).rejects.toMatchObject({ code: 'E_CONFIG' })
    await expect(server.listen({ host: '::', port: 0 })).rejects.toThrow(/without a token/)
  })

  it('refuses requests whose Host or Origin is not loopback (DNS rebinding), 403 E_ORIGIN', async () => {
    await using s = await startServer()
    const port = new URL(s.url).port
    const refused: Array<Record<string, string>> = [
      { host: `evil.example:${port}` },
      { host: `127.0.0.1.nip.io:${port}` },
      { host: `127.0.0.1:${port}`, origin: 'http://evil.example' },
      { host: `localhost:${port}`, origin: 'null' },
    ]
    for (const headers of refused) {
      const r = await rawGet(`${s.url}/v1/models`, headers)
      expect(r.status, JSON.stringify(headers)).toBe(403)
      expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'E_ORIGIN', type: 'permission_error' } })
    }
    const allowed: Array<Record<string, string>> = [
      { host: `localhost:${port}` },
      { host: `[::1]:${port}` },
      { host: `127.0.0.1:${port}`, origin: `http://localhost:3000` },
      { host: `app.localhost:${port}`, origin: `http://127.0.0.1:${port}` },
    ]
    for (const headers of allowed) {
      const r = await rawGet(`${s.url}/v1/models`, headers)
      expect(r.status, JSON.stringify(headers)).toBe(200)
    }
  })
})
