// Limits that protect the server: body size, concurrent runs and the queue (429 with Retry-After,
// no run lost), /metrics in Prometheus' text format, and shutdown with runs in flight.

import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createServer } from '../src/index.ts'
import { js, queryOf, scriptedRlm, startServer } from './harness.ts'

/** Prometheus text: every sample line parsed, or the test fails on the first line that is not. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line)
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`)
    samples.set(m[1] as string, Number(m[2]))
  }
  return samples
}

describe('limits', () => {
  it('refuses bodies over the limit with 413 E_LIMIT, whether sized or chunked', async () => {
    await using s = await startServer({ maxBodyBytes: 4096 })
    const big = { query: 'q', context: 'x'.repeat(10_000) }
    const sized = await s.api('/v1/runs', { method: 'POST', json: big })
    expect(sized.status).toBe(413)
    expect(await sized.json()).toMatchObject({ error: { code: 'E_LIMIT' } })
    const body = new ReadableStream({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode('x'.repeat(1000)))
        c.close()
      },
    })
    const chunked = await fetch(`${s.url}/v1/chat/completions`, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'content-type': 'application/json' },
    } as RequestInit)
    expect(chunked.status).toBe(413)
    expect(s.server.runs.list()).toHaveLength(0)
  })

  it('50 concurrent chat requests with 8 runs at once: queued, some 429 with Retry-After, every one answered', async () => {
    let server: ReturnType<typeof createServer> | undefined
    let most = 0
    const model = createScripted(async (req) => {
      most = Math.max(most, server?.runs.running ?? 0)
      await new Promise((r) => setTimeout(r, 100))
      return js(`FINAL('answer ' + ${JSON.stringify(queryOf(req))})`)
    })
    await using s = await startServer({
      models: { m: model },
      maxConcurrentRuns: 8,
      maxQueue: 10,
      clientOptions: { maxRetries: 30 },
    })
    server = s.server
    const asks = Array.from({ length: 50 }, (_, i) =>
      s.client.chat.completions.create({ model: 'rlm', messages: [{ role: 'user', content: `q${i}` }] }),
    )
    const answers = await Promise.all(asks)
    expect(answers.map((a) => a.choices[0]?.message.content)).toEqual(asks.map((_, i) => `answer q${i}`))
    expect(most).toBeLessThanOrEqual(8)
    expect(most).toBeGreaterThan(1)
    const metrics = parseMetrics(await (await s.api('/metrics')).text())
    expect(metrics.get('rlm_runs_total{status="final",kind="chat"}')).toBe(50)
    expect(metrics.get('rlm_runs_rejected_total')).toBeGreaterThan(0)
    expect(metrics.get('rlm_runs_running')).toBe(0)
    expect(metrics.get('rlm_queue_depth')).toBe(0)
  }, 120_000)

  it('at capacity answers 429 E_CAPACITY with Retry-After', async () => {
    const slow = scriptedRlm({ latencyMs: 2_000 })
    await using s = await startServer({ models: { m: slow }, maxConcurrentRuns: 1, maxQueue: 1 })
    const post = () => s.api('/v1/runs', { method: 'POST', json: { query: 'q' } })
    expect((await post()).status).toBe(201)
    expect((await post()).status).toBe(201)
    const refused = await post()
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(Number(refused.headers.get('retry-after-ms'))).toBeGreaterThanOrEqual(100)
    expect(await refused.json()).toMatchObject({ error: { code: 'E_CAPACITY', type: 'rate_limit_error' } })
    expect(s.server.runs.queued).toBe(1)
  })

  it('/metrics counts sub-calls, tokens and latencies in parsable Prometheus text', async () => {
    await using s = await startServer()
    await s.client.chat.completions.create({
      model: 'rlm',
      messages: [
        { role: 'system', content: 'one' },
        { role: 'user', content: 'q' },
      ],
    })
    await s.client.chat.completions.create({
      model: 'rlm',
      messages: [
        { role: 'system', content: 'one\ntwo\nthree' },
        { role: 'user', content: 'q' },
      ],
    })
    const res = await s.api('/metrics')
    expect(res.headers.get('content-type')).toContain('text/plain')
    const m = parseMetrics(await res.text())
    expect(m.get('rlm_subcalls_total{status="ok"}')).toBe(4)
    expect(m.get('rlm_tokens_total{kind="input"}')).toBeGreaterThan(0)
    expect(m.get('rlm_run_duration_seconds_count{status="final"}')).toBe(2)
    expect(m.get('rlm_model_call_duration_seconds_count')).toBe(4)
    expect(
      m.get(
        'rlm_http_request_duration_seconds_count{route="/v1/chat/completions",method="POST",status="200"}',
      ),
    ).toBe(2)
    expect(m.get('rlm_cost_usd_total')).toBe(0)
    expect(m.has('process_cpu_seconds_total')).toBe(true)
  })
})

describe('shutdown', () => {
  it('lets runs finish within the grace period, refuses new ones meanwhile', async () => {
    const slow = scriptedRlm({ latencyMs: 400 })
    const server = createServer({ models: { m: slow }, log: () => {} })
    const listening = await server.listen({ port: 0 })
    const start = await fetch(`${listening.url}/v1/runs`, {
      method: 'POST',
      body: JSON.stringify({ query: 'q' }),
    })
    const { id } = (await start.json()) as { id: string }
    const closing = listening.close(20_000)
    await expect(
      fetch(`${listening.url}/v1/runs`, { method: 'POST', body: JSON.stringify({ query: 'q' }) }),
    ).rejects.toThrow()
    await closing
    expect(server.runs.get(id)?.status).toBe('final')
  })

  it('past the grace period cancels runs through the tree and closes every trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlm-serve-shutdown-'))
    const stuck = scriptedRlm({
      turns: [() => 'const r = await llm_query_batched(["a", "b", "c"])\nprint(r)', () => 'FINAL("x")'],
      subLatencyMs: 60_000,
    })
    const server = createServer({ models: { m: stuck }, traceDir: dir, log: () => {} })
    const listening = await server.listen({ port: 0 })
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${listening.url}/v1/runs`, {
        method: 'POST',
        body: JSON.stringify({ query: `q${i}` }),
      })
      ids.push(((await res.json()) as { id: string }).id)
    }
    while (!ids.every((id) => (server.runs.get(id)?.eventCount ?? 0) > 3))
      await new Promise((r) => setTimeout(r, 20))
    await listening.close(300)
    for (const id of ids)
      expect(server.runs.get(id)).toMatchObject({ status: 'cancelled', cancelReason: 'shutdown' })
    const traces = readdirSync(dir)
    expect(traces).toHaveLength(3)
    for (const name of traces) {
      const lines = readFileSync(join(dir, name), 'utf8').trim().split('\n')
      expect(JSON.parse(lines.at(-1) as string)).toMatchObject({
        type: 'run_end',
        status: 'error',
        error: { code: 'E_ABORTED' },
      })
    }
  })
})
