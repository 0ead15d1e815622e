// The deployment checks of @rlm/server/testing pass against the server (with a token and without),
// and fail, by name, against something that is not an rlm server.

import { createServer as createHttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { runServerConformance, SERVER_CONFORMANCE_CHECKS } from '../src/testing/index.ts'
import { scriptedRlm, startServer } from './harness.ts'

describe('runServerConformance', () => {
  it('passes every check against a server with a token', async () => {
    const token = 'conformance-token-0123456789'
    await using s = await startServer({ token, models: { m: scriptedRlm({ latencyMs: 300 }) } })
    const report = await runServerConformance({ baseURL: s.url, token })
    expect(report.failed).toEqual([])
    expect(report.passed).toEqual([...SERVER_CONFORMANCE_CHECKS])
  })

  it('passes without a token (checking the loopback Host rule instead), skipping what is asked', async () => {
    await using s = await startServer({ models: { m: scriptedRlm({ latencyMs: 300 }) } })
    const skip = ['answers a chat completion', 'streams a chat completion with progress chunks']
    const report = await runServerConformance({ baseURL: s.url, skip })
    expect(report.failed).toEqual([])
    expect(report.skipped).toEqual(skip)
    expect(report.passed).toContain('refuses requests without the token')
  })

  it('reports each failed check by name against a server that is not rlm', async () => {
    const fake = createHttpServer((req, res) => {
      req.resume()
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
    })
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve))
    try {
      const report = await runServerConformance({
        baseURL: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`,
      })
      expect(report.passed).toEqual([])
      expect(report.failed.map((f) => f.name)).toEqual([...SERVER_CONFORMANCE_CHECKS])
      expect(report.failed[0]?.error).toContain('/healthz')
    } finally {
      await new Promise((resolve) => fake.close(resolve))
    }
  })
})
