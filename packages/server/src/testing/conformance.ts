// The checks a deployment of `rlm serve` (or an app mounting @rlm/server) can run against itself:
// health, models, OpenAI-shaped errors, auth, refused fields and paths, a chat completion with and
// without streaming, the runs API with resumable events, cancellation, the viewer and metrics.
// Checks that start runs call the deployment's real model (a few small calls); skip them by name.

import { request } from 'node:http'
import { collectSse } from './sse-reader.ts'

export interface ServerConformanceOptions {
  /** The server's root, e.g. http://127.0.0.1:8787 (no /v1). */
  baseURL: string
  /** The bearer token, when the server has one. */
  token?: string
  /** The model to run (default "rlm"). */
  model?: string
  /** Names of checks to leave out (e.g. those that start runs), with a reason in your test. */
  skip?: string[]
}

export interface ServerConformanceResult {
  name: string
  ok: boolean
  error?: string
}

export interface ServerConformanceReport {
  passed: string[]
  failed: ServerConformanceResult[]
  skipped: string[]
  results: ServerConformanceResult[]
}

interface Client {
  options: ServerConformanceOptions
  model: string
  call(
    path: string,
    init?: { method?: string; json?: unknown; headers?: Record<string, string> },
  ): Promise<Response>
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}
const show = (v: unknown): string => JSON.stringify(v)?.slice(0, 300) ?? String(v)

async function json(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text()
  try {
    return JSON.parse(text) as Record<string, unknown>
  } catch {
    throw new Error(`expected a JSON body, got ${res.status} ${show(text)}`)
  }
}

/** An OpenAI-shaped error with our code: `{ error: { message, type, param, code } }`. */
async function expectError(res: Response, status: number, code: string): Promise<void> {
  const body = await json(res)
  const error = body.error as Record<string, unknown> | undefined
  assert(res.status === status, `expected HTTP ${status}, got ${res.status}: ${show(body)}`)
  assert(
    error && typeof error.message === 'string' && typeof error.type === 'string',
    `expected { error: { message, type, param, code } }, got ${show(body)}`,
  )
  assert('param' in error, `expected error.param (null when no field is at fault), got ${show(error)}`)
  assert(error.code === code, `expected error.code ${code}, got ${show(error.code)}`)
}

const chatBody = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [
    { role: 'system', content: 'The code word is PLUM.' },
    { role: 'user', content: 'What is the code word? Answer with the word only.' },
  ],
  rlm: { max_iterations: 3 },
  ...extra,
})

async function startRun(c: Client): Promise<string> {
  const res = await c.call('/v1/runs', {
    method: 'POST',
    json: {
      query: 'What is the code word? Answer with the word only.',
      context: 'The code word is PLUM.',
      model: c.model,
      max_iterations: 3,
    },
  })
  const body = await json(res)
  assert(res.status === 201, `POST /v1/runs: expected 201, got ${res.status}: ${show(body)}`)
  assert(typeof body.id === 'string', `POST /v1/runs: expected { id }, got ${show(body)}`)
  return body.id
}

const ENDED = ['final', 'budget_exhausted', 'error', 'cancelled']

const CHECKS: Record<string, (c: Client) => Promise<void>> = {
  'answers /healthz': async (c) => {
    const res = await fetch(new URL('/healthz', c.options.baseURL))
    assert(res.status === 200, `GET /healthz: expected 200, got ${res.status}`)
    assert((await json(res)).status === 'ok', 'GET /healthz: expected { status: "ok" }')
  },
  'lists rlm models in OpenAI shape': async (c) => {
    const body = await json(await c.call('/v1/models'))
    const data = body.data as Array<{ id: string; object: string }> | undefined
    assert(
      body.object === 'list' && Array.isArray(data),
      `GET /v1/models: expected { object: "list", data }, got ${show(body)}`,
    )
    assert(
      data.some((m) => m.id === 'rlm'),
      `GET /v1/models: expected the model "rlm", got ${show(data.map((m) => m.id))}`,
    )
    for (const m of data)
      assert(m.object === 'model' && /^rlm(:|$)/.test(m.id), `unexpected model entry ${show(m)}`)
  },
  'refuses requests without the token': async (c) => {
    if (c.options.token === undefined) {
      // No token: the server must answer only loopback Hosts (DNS rebinding).
      const url = new URL('/v1/models', c.options.baseURL)
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(url, { headers: { host: 'rebind.example' } }, (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        })
        req.on('error', reject)
        req.end()
      })
      assert(status === 403, `a request for Host rebind.example: expected 403, got ${status}`)
      return
    }
    const res = await fetch(new URL('/v1/models', c.options.baseURL))
    await expectError(res, 401, 'E_AUTH')
  },
  'answers errors in OpenAI shape with rlm codes': async (c) => {
    const res = await c.call('/v1/chat/completions', { method: 'POST', json: chatBody('no-such-model') })
    await expectError(res, 400, 'E_CONFIG')
    await expectError(await c.call('/v1/runs/run_does_not_exist'), 404, 'E_NOT_FOUND')
  },
  'refuses fields a client may not choose': async (c) => {
    for (const extra of [
      { trace: '/tmp/t.jsonl' },
      { base_url: 'http://example.com/v1' },
      { max_depth: 51 },
    ]) {
      const res = await c.call('/v1/runs', { method: 'POST', json: { query: 'q', ...extra } })
      await expectError(res, 400, 'E_CONFIG')
    }
  },
  'refuses context paths that leave the root': async (c) => {
    for (const path of ['../../../../etc/passwd', '/etc/passwd']) {
      const res = await c.call('/v1/runs', { method: 'POST', json: { query: 'q', context_paths: [path] } })
      await expectError(res, 400, 'E_CONFIG')
    }
  },
  'answers a chat completion': async (c) => {
    const res = await c.call('/v1/chat/completions', { method: 'POST', json: chatBody(c.model) })
    const body = await json(res)
    assert(res.status === 200, `expected 200, got ${res.status}: ${show(body)}`)
    const choice = (body.choices as Array<Record<string, unknown>> | undefined)?.[0]
    const message = choice?.message as { role?: string; content?: unknown } | undefined
    assert(body.object === 'chat.completion', `expected object "chat.completion", got ${show(body.object)}`)
    assert(
      message?.role === 'assistant' && typeof message.content === 'string',
      `expected an assistant message, got ${show(choice)}`,
    )
    assert(
      choice?.finish_reason === 'stop' || choice?.finish_reason === 'length',
      `finish_reason is ${show(choice?.finish_reason)}`,
    )
    const usage = body.usage as
      | { prompt_tokens: number; completion_tokens: number; total_tokens: number }
      | undefined
    assert(
      usage && usage.total_tokens === usage.prompt_tokens + usage.completion_tokens,
      `usage is ${show(usage)}`,
    )
    assert(typeof (body.rlm as { run_id?: unknown } | undefined)?.run_id === 'string', 'expected rlm.run_id')
  },
  'streams a chat completion with progress chunks': async (c) => {
    const res = await c.call('/v1/chat/completions', {
      method: 'POST',
      json: chatBody(c.model, { stream: true }),
    })
    assert(res.status === 200, `expected 200, got ${res.status}`)
    assert(res.headers.get('content-type')?.includes('text/event-stream'), 'expected text/event-stream')
    const messages = await collectSse(res)
    assert(
      messages.at(-1)?.data === '[DONE]',
      `the stream must end with [DONE], got ${show(messages.at(-1))}`,
    )
    const chunks = messages.slice(0, -1).map((m) => JSON.parse(m.data) as Record<string, unknown>)
    const events = chunks
      .map((ch) => (ch.rlm as { event?: { type: string } } | undefined)?.event)
      .filter(Boolean)
    assert(
      events[0]?.type === 'run_start' && events.at(-1)?.type === 'run_end',
      `progress events run from run_start to run_end, got ${show(events.map((e) => e?.type))}`,
    )
    for (const ch of chunks) assert(ch.object === 'chat.completion.chunk', `unexpected chunk ${show(ch)}`)
  },
  'runs API: starts a run and streams its numbered events to run_end': async (c) => {
    const id = await startRun(c)
    const events = (await collectSse(await c.call(`/v1/runs/${id}/events`))).filter((e) => e.id !== undefined)
    assert(events[0]?.event === 'run_start', `the first event is ${show(events[0]?.event)}`)
    assert(
      events.at(-1)?.event === 'run_end',
      `the stream ends after run_end, got ${show(events.at(-1)?.event)}`,
    )
    for (const [i, e] of events.entries())
      assert(Number(e.id) === i + 1, `event ids are 1, 2, ...: got ${e.id} at ${i + 1}`)
    const state = await json(await c.call(`/v1/runs/${id}`))
    assert(ENDED.includes(state.status as string), `GET /v1/runs/:id: status ${show(state.status)}`)
    assert(
      state.events === events.length,
      `GET /v1/runs/:id: events ${show(state.events)}, streamed ${events.length}`,
    )
    const resumed = await collectSse(
      await c.call(`/v1/runs/${id}/events`, { headers: { 'last-event-id': '1' } }),
    )
    assert(
      resumed[0]?.id === '2',
      `after Last-Event-ID 1 the stream starts at 2, got ${show(resumed[0]?.id)}`,
    )
    const done = await c.call(`/v1/runs/${id}/events`, {
      headers: { 'last-event-id': String(events.length) },
    })
    assert(done.status === 204, `nothing left after the last event: expected 204, got ${done.status}`)
    const trace = await c.call(`/v1/runs/${id}/trace`)
    assert(
      (await trace.text()).trim().split('\n').length === events.length,
      'the trace holds one line per event',
    )
  },
  'cancels a run': async (c) => {
    const id = await startRun(c)
    const res = await c.call(`/v1/runs/${id}`, { method: 'DELETE' })
    const state = await json(res)
    assert(res.status === 200, `DELETE: expected 200, got ${res.status}: ${show(state)}`)
    assert(
      state.status === 'cancelled',
      `DELETE right after POST: expected status "cancelled", got ${show(state.status)}`,
    )
  },
  'serves the viewer page': async (c) => {
    const id = await startRun(c)
    const res = await c.call(`/v1/runs/${id}/view`)
    assert(
      res.status === 200 && res.headers.get('content-type')?.includes('text/html'),
      `GET /view: ${res.status}`,
    )
    assert((await res.text()).includes('Content-Security-Policy'), 'the viewer page carries its CSP')
    await c.call(`/v1/runs/${id}`, { method: 'DELETE' })
  },
  'exposes Prometheus metrics': async (c) => {
    const res = await c.call('/metrics')
    assert(res.status === 200, `GET /metrics: ${res.status}`)
    const text = await res.text()
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue
      assert(/^[a-zA-Z_:][\w:]*(\{[^}]*\})? \S+$/.test(line), `not a Prometheus sample: ${show(line)}`)
    }
    for (const name of ['rlm_runs_running', 'rlm_queue_depth', 'rlm_runs_rejected_total'])
      assert(text.includes(`\n${name} `) || text.startsWith(`${name} `), `/metrics lacks ${name}`)
  },
}

/** The names of every check, for `skip`. */
export const SERVER_CONFORMANCE_CHECKS: readonly string[] = Object.keys(CHECKS)

/** Runs every check (but the skipped ones) in order against the deployment; never throws. */
export async function runServerConformance(
  options: ServerConformanceOptions,
): Promise<ServerConformanceReport> {
  const client: Client = {
    options,
    model: options.model ?? 'rlm',
    call(path, init = {}) {
      const headers = new Headers(init.headers)
      if (options.token !== undefined) headers.set('authorization', `Bearer ${options.token}`)
      if (init.json !== undefined) headers.set('content-type', 'application/json')
      return fetch(new URL(path, options.baseURL), {
        method: init.method ?? 'GET',
        headers,
        ...(init.json !== undefined && { body: JSON.stringify(init.json) }),
      })
    },
  }
  const skip = new Set(options.skip ?? [])
  const results: ServerConformanceResult[] = []
  for (const [name, check] of Object.entries(CHECKS)) {
    if (skip.has(name)) continue
    try {
      await check(client)
      results.push({ name, ok: true })
    } catch (err) {
      results.push({ name, ok: false, error: err instanceof Error ? err.message : String(err) })
    }
  }
  return {
    passed: results.filter((r) => r.ok).map((r) => r.name),
    failed: results.filter((r) => !r.ok),
    skipped: SERVER_CONFORMANCE_CHECKS.filter((n) => skip.has(n)),
    results,
  }
}
