import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createKeepAliveFetch } from '../src/index.ts'

async function withServer(
  handler: Parameters<typeof createServer>[1],
  run: (url: string) => Promise<void>,
): Promise<void> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
}

describe('createKeepAliveFetch', () => {
  it('sends method, headers and body, and returns status, headers and body like fetch', async () => {
    await withServer(
      (req, res) => {
        let body = ''
        req.on('data', (c) => {
          body += c
        })
        req.on('end', () => {
          res.setHeader('set-cookie', ['a=1', 'b=2'])
          res.writeHead(418, { 'content-type': 'application/json', 'x-echo': String(req.headers['x-test']) })
          res.end(JSON.stringify({ method: req.method, body, length: req.headers['content-length'] }))
        })
      },
      async (url) => {
        const f = createKeepAliveFetch()
        const r = await f(`${url}/x`, { method: 'POST', headers: { 'X-Test': 'yes' }, body: 'héllo' })
        expect(r.status).toBe(418)
        expect(r.ok).toBe(false)
        expect(r.headers.get('x-echo')).toBe('yes')
        expect(r.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
        expect(await r.json()).toEqual({ method: 'POST', body: 'héllo', length: '6' })
        // A Request object takes the general path.
        const viaRequest = await f(new Request(`${url}/y`, { method: 'PUT', body: 'z' }))
        expect(await viaRequest.json()).toMatchObject({ method: 'PUT', body: 'z' })
      },
    )
  })

  it('reuses one socket for sequential calls', async () => {
    const ports = new Set<number>()
    await withServer(
      (req, res) => {
        ports.add(req.socket.remotePort as number)
        res.end('ok')
      },
      async (url) => {
        const f = createKeepAliveFetch()
        for (let i = 0; i < 5; i++) await (await f(url)).text()
      },
    )
    expect(ports.size).toBe(1)
  })

  it('rejects with the abort reason when aborted, and with TypeError("fetch failed") when refused', async () => {
    await withServer(
      () => {},
      async (url) => {
        const f = createKeepAliveFetch()
        const controller = new AbortController()
        setTimeout(() => controller.abort(), 20)
        await expect(f(url, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' })
      },
    )
    const err = await createKeepAliveFetch()('http://127.0.0.1:1/').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TypeError)
    expect((err as Error & { cause: { code: string } }).cause.code).toBe('ECONNREFUSED')
  })
})
