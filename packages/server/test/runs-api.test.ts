// The runs API through plain fetch (SSE parsed with eventsource-parser): start, follow, resume,
// read, cancel, trace and viewer; models come from a loopback OpenAI-compatible server where the
// test needs to count what reached it.

import { createOpenAICompatible } from '@rlm/providers'
import { createOpenAICompatibleServer, type ReceivedRequest } from '@rlm/providers/testing'
import { describe, expect, it } from 'vitest'
import { collectSse } from '../src/testing/sse-reader.ts'
import { js, scriptedRlm, sleep, startServer } from './harness.ts'

interface RunJson {
  id: string
  status: string
  answer: string | null
  events: number
  error: { code: string } | null
  tree: { status: string; iterations: number; sub_calls: number; children: unknown[] } | null
  usage: { calls: number } | null
}

const isSub = (r: ReceivedRequest): boolean => r.messages[0]?.role !== 'system'
const turns = (r: ReceivedRequest): number => r.messages.filter((m) => m.role === 'assistant').length

describe('the runs API', () => {
  it('starts a run, streams its typed events to run_end, and shows its status, answer, usage and tree', async () => {
    await using s = await startServer()
    const created = await s.api('/v1/runs', { method: 'POST', json: { query: 'Count', context: 'a b\nc' } })
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as RunJson
    expect(id).toMatch(/^run_[0-9a-f]{24}$/)
    const events = await collectSse(await s.api(`/v1/runs/${id}/events`))
    const numbered = events.filter((e) => e.id !== undefined)
    expect(numbered.map((e) => Number(e.id))).toEqual(numbered.map((_, i) => i + 1))
    expect(events[0]?.event).toBe('run_start')
    expect(numbered.at(-1)?.event).toBe('run_end')
    for (const e of events) expect(JSON.parse(e.data).type).toBe(e.event)
    const run = (await (await s.api(`/v1/runs/${id}`)).json()) as RunJson
    expect(run).toMatchObject({ status: 'final', answer: 'answer to Count: 5 chars', error: null })
    expect(run.events).toBe(numbered.length)
    expect(run.usage?.calls).toBe(4)
    expect(run.tree).toMatchObject({ status: 'final', iterations: 2, sub_calls: 2, children: [] })
    const list = (await (await s.api('/v1/runs')).json()) as { data: RunJson[] }
    expect(list.data.map((r) => r.id)).toContain(id)
  })

  it('resumes the event stream after Last-Event-ID, and answers 204 when nothing is left', async () => {
    await using s = await startServer({
      traceDir: false,
      models: { fast: scriptedRlm(), slow: scriptedRlm({ latencyMs: 500 }) },
    })
    const { id } = (await (
      await s.api('/v1/runs', { method: 'POST', json: { query: 'q' } })
    ).json()) as RunJson
    const all = (await collectSse(await s.api(`/v1/runs/${id}/events`))).filter((e) => e.id !== undefined)
    const resumed = await collectSse(
      await s.api(`/v1/runs/${id}/events`, { headers: { 'last-event-id': '3' } }),
    )
    expect(resumed.map((e) => e.id)).toEqual(all.slice(3).map((e) => e.id))
    expect(resumed.map((e) => e.data)).toEqual(all.slice(3).map((e) => e.data))
    const byQuery = await collectSse(await s.api(`/v1/runs/${id}/events?after=${all.length - 1}`))
    expect(byQuery.map((e) => e.event)).toEqual(['run_end'])
    const none = await s.api(`/v1/runs/${id}/events`, { headers: { 'last-event-id': String(all.length) } })
    expect(none.status).toBe(204)
    // A resume point past the run's events while it still runs: nothing before it is sent again.
    const slow = (await (
      await s.api('/v1/runs', { method: 'POST', json: { query: 'q', model: 'rlm:slow' } })
    ).json()) as { id: string }
    const ahead = await collectSse(
      await s.api(`/v1/runs/${slow.id}/events`, { headers: { 'last-event-id': '4' } }),
    )
    expect(ahead.filter((e) => e.id !== undefined).map((e) => Number(e.id))[0]).toBe(5)
    const bad = await s.api(`/v1/runs/${id}/events?after=-1`)
    expect(bad.status).toBe(400)
  })

  it("serves a finished run's events from its trace file, the same as they streamed", async () => {
    const { mkdtempSync, readdirSync } = await import('node:fs')
    const { join } = await import('node:path')
    const { tmpdir } = await import('node:os')
    const dir = mkdtempSync(join(tmpdir(), 'rlm-serve-trace-'))
    await using s = await startServer({ traceDir: dir })
    const { id } = (await (
      await s.api('/v1/runs', { method: 'POST', json: { query: 'q', context: 'x y' } })
    ).json()) as RunJson
    const live = (await collectSse(await s.api(`/v1/runs/${id}/events`))).filter((e) => e.id !== undefined)
    expect(readdirSync(dir)).toHaveLength(1)
    const again = await collectSse(
      await s.api(`/v1/runs/${id}/events`, { headers: { 'last-event-id': '1' } }),
    )
    expect(again.map((e) => e.data)).toEqual(live.slice(1).map((e) => e.data))
    const trace = await s.api(`/v1/runs/${id}/trace`)
    expect(trace.headers.get('content-type')).toContain('application/x-ndjson')
    const lines = (await trace.text()).trim().split('\n')
    expect(lines).toEqual(live.map((e) => e.data))
  })

  it('DELETE cancels a run mid-batch through the tree: no model request afterwards, in-flight ones closed', async () => {
    await using models = await createOpenAICompatibleServer({
      replies: (req) => {
        if (isSub(req)) return { text: 'sub', delayMs: 30_000 }
        return turns(req) === 0
          ? js(
              'const r = await llm_query_batched(Array.from({ length: 100 }, (_, i) => "p" + i))\nprint(r.length)',
            )
          : js('FINAL("done")')
      },
    })
    const model = createOpenAICompatible({ baseURL: models.baseURL, apiKey: 'k', model: 'm' })
    await using s = await startServer({ models: { m: model }, caps: { concurrency: 4 } })
    const { id } = (await (
      await s.api('/v1/runs', { method: 'POST', json: { query: 'q', context: 'c' } })
    ).json()) as RunJson
    // Wait for the batch to be in flight (its first requests sent).
    await collectSse(await s.api(`/v1/runs/${id}/events`), (e) => e.event === 'subcall_start')
    const deleted = await s.api(`/v1/runs/${id}`, { method: 'DELETE' })
    expect(deleted.status).toBe(200)
    const run = (await deleted.json()) as RunJson
    expect(run).toMatchObject({ status: 'cancelled', error: { code: 'E_ABORTED' } })
    // Requests sent before the cancel may reach the in-process server a little late on a busy
    // machine; after that, nothing more arrives (a lane still pulling prompts would send now).
    await sleep(500)
    const settled = models.requests.length
    await sleep(1_000)
    expect(models.requests.length).toBe(settled)
    const subs = models.requests.filter(isSub).length
    expect(subs).toBeGreaterThanOrEqual(1)
    expect(subs).toBeLessThanOrEqual(4) // the concurrency cap: the other 96 never left
    // every request the server had read was closed by the client (it may also see some close before it read them)
    expect(models.closedEarly).toBeGreaterThanOrEqual(subs)
    expect(models.closedEarly).toBeLessThanOrEqual(4)
    const events = await collectSse(await s.api(`/v1/runs/${id}/events`))
    expect(events.at(-1)).toMatchObject({ event: 'run_end' })
    // Counted on the client side too: every sub-call started before the run ended, none after.
    const ended = JSON.parse(events.at(-1)?.data ?? '{}').timestamp as number
    const starts = events
      .filter((e) => e.event === 'subcall_start')
      .map((e) => JSON.parse(e.data).timestamp as number)
    expect(starts.length).toBeGreaterThanOrEqual(subs)
    expect(starts.length).toBeLessThanOrEqual(4)
    for (const t of starts) expect(t).toBeLessThanOrEqual(ended)
    expect(JSON.parse(events.at(-1)?.data ?? '{}')).toMatchObject({
      status: 'error',
      error: { code: 'E_ABORTED' },
    })
    const again = await s.api(`/v1/runs/${id}`, { method: 'DELETE' })
    expect(((await again.json()) as RunJson).status).toBe('cancelled')
  })

  it('serves the viewer: live (following the events stream) while running, static once ended', async () => {
    const slow = scriptedRlm({ latencyMs: 1_500 })
    await using s = await startServer({ models: { m: slow } })
    const { id } = (await (
      await s.api('/v1/runs', { method: 'POST', json: { query: 'q' } })
    ).json()) as RunJson
    await collectSse(await s.api(`/v1/runs/${id}/events`), (e) => e.event === 'run_start')
    const live = await s.api(`/v1/runs/${id}/view`)
    expect(live.headers.get('content-type')).toContain('text/html')
    const page = await live.text()
    expect(page).toContain(`/v1/runs/${id}/events?after=`)
    expect(page).toContain("connect-src 'self'")
    await collectSse(await s.api(`/v1/runs/${id}/events`))
    const done = await (await s.api(`/v1/runs/${id}/view`)).text()
    expect(done).not.toContain('connect-src')
    expect(done).toContain('<!doctype html>')
  })

  it('Idempotency-Key returns the same run; the same key with another body is a 409', async () => {
    await using s = await startServer()
    const post = (query: string) =>
      s.api('/v1/runs', { method: 'POST', json: { query }, headers: { 'idempotency-key': 'k-1' } })
    const first = await post('q')
    const second = await post('q')
    expect(first.status).toBe(201)
    expect(second.status).toBe(200)
    expect(((await second.json()) as RunJson).id).toBe(((await first.json()) as RunJson).id)
    const other = await post('another question')
    expect(other.status).toBe(409)
    expect(await other.json()).toMatchObject({ error: { code: 'E_CONFLICT', type: 'conflict_error' } })
    expect(s.server.runs.list()).toHaveLength(1)
  })

  it('refuses what a client may not choose: trace paths, cache dirs, URLs, models outside the set', async () => {
    await using s = await startServer()
    for (const json of [
      { query: 'q', trace: '/tmp/t.jsonl' },
      { query: 'q', cache: { dir: '/tmp' } },
      { query: 'q', base_url: 'http://evil.example/v1' },
      { query: 'q', model: 'openai-compatible:m@http://evil.example/v1' },
      { query: 'q', model: './my-provider.js:m' },
      { query: '' },
      { query: 'q', max_depth: 0 },
      { query: 'q', budget: { maxTokens: -1 } },
    ]) {
      const res = await s.api('/v1/runs', { method: 'POST', json })
      expect(res.status, JSON.stringify(json)).toBe(400)
      const body = (await res.json()) as { error: { code: string; type: string; message: string } }
      expect(body.error).toMatchObject({ code: 'E_CONFIG', type: 'invalid_request_error' })
    }
    expect(s.server.runs.list()).toHaveLength(0)
    const camel = await s.api('/v1/runs', {
      method: 'POST',
      json: { query: 'q', maxDepth: 1, budget: { maxSubCalls: 10 } },
    })
    expect(camel.status).toBe(201)
  })

  it('answers unknown runs and routes with 404 in OpenAI error shape', async () => {
    await using s = await startServer()
    for (const path of ['/v1/runs/run_nope', '/v1/runs/run_nope/events', '/v1/nothing']) {
      const res = await s.api(path)
      expect(res.status).toBe(404)
      expect(await res.json()).toMatchObject({ error: { code: 'E_NOT_FOUND', type: 'not_found_error' } })
    }
    const notJson = await s.api('/v1/runs', {
      method: 'POST',
      body: '{nope',
      headers: { 'content-type': 'application/json' },
    })
    expect(notJson.status).toBe(400)
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toContain(
      'not valid JSON',
    )
  })
})
