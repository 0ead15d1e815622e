// The runs API: start a run (POST /v1/runs), read it (GET /v1/runs/:id), follow its events
// (GET /v1/runs/:id/events, SSE, resumable with Last-Event-ID), cancel it through the whole tree
// (DELETE), and get its trace (JSONL) or its viewer page (live while it runs).

import type { Context, Hono } from 'hono'
import { ApiError, notFound } from './api-error.ts'
import { parseBody, readJson } from './body-parsing.ts'
import { idempotencyOf } from './idempotency.ts'
import type { ManagedRun } from './managed-run.ts'
import { prepareRun } from './run-preparation.ts'
import { runState } from './run-state.ts'
import { liveViewPage } from './run-view.ts'
import { runsBodySchema } from './runs-request.ts'
import type { ServerState } from './server-state.ts'
import { sseResponse } from './sse-stream.ts'

/** How long DELETE waits for the cancelled run to end before answering with its state. */
const CANCEL_WAIT_MS = 10_000

export function runsRoutes(app: Hono, state: ServerState): void {
  const find = (c: Context): ManagedRun => {
    const id = c.req.param('id') ?? ''
    const run = state.runs.get(id)
    if (!run)
      throw notFound(
        `There is no run ${JSON.stringify(id)} (finished runs are kept for a while, then forgotten); GET /v1/runs lists them.`,
      )
    return run
  }

  app.post('/v1/runs', async (c) => {
    const raw = await readJson(c.req.raw, state.maxBodyBytes)
    const body = parseBody(runsBodySchema, raw)
    const { query, model, context, context_paths, ...settings } = body
    const request = await prepareRun(state, {
      kind: 'run',
      model,
      query,
      ...(typeof context === 'string' ? { text: context } : { documents: context?.documents }),
      contextPaths: context_paths ?? [],
      settings,
    })
    const { run, reused } = state.runs.submit(request, idempotencyOf(c, 'run', raw))
    return c.json(runState(run), reused ? 200 : 201, { location: `/v1/runs/${run.id}` })
  })

  app.get('/v1/runs', (c) =>
    c.json({ object: 'list', data: state.runs.list().map((r) => runState(r, { tree: false })) }),
  )

  app.get('/v1/runs/:id', (c) => c.json(runState(find(c))))

  app.delete('/v1/runs/:id', async (c) => {
    const run = find(c)
    run.cancel('request')
    let timer: NodeJS.Timeout | undefined
    await Promise.race([run.done, new Promise((resolve) => (timer = setTimeout(resolve, CANCEL_WAIT_MS)))])
    clearTimeout(timer)
    return c.json(runState(run))
  })

  app.get('/v1/runs/:id/events', (c) => {
    const run = find(c)
    const after = resumePoint(c)
    // Nothing more will come: 204 tells an EventSource not to reconnect.
    if (run.ended && after >= run.eventCount) return c.body(null, 204)
    return sseResponse(c.req.raw.signal, (writer) =>
      run.subscribe(after, {
        event: (seq, e) => writer.send({ event: e.type, id: seq, data: JSON.stringify(e) }),
        end: () => writer.close(),
      }),
    )
  })

  app.get('/v1/runs/:id/trace', (c) => {
    const run = find(c)
    const text = run
      .eventsAfter(0)
      .map(([, e]) => `${JSON.stringify(e)}\n`)
      .join('')
    return c.body(text, 200, {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-disposition': `inline; filename="${run.id}.jsonl"`,
    })
  })

  app.get('/v1/runs/:id/view', (c) => {
    const run = find(c)
    return c.html(liveViewPage(run, c.req.query('token')), 200, {
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    })
  })
}

/** Where a stream resumes: after the Last-Event-ID header's event, or `?after=N`; 0 = from the start. */
function resumePoint(c: Context): number {
  const raw = c.req.header('last-event-id') ?? c.req.query('after') ?? '0'
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < 0)
    throw new ApiError(
      400,
      'E_CONFIG',
      `Last-Event-ID / after: expected an event number (got ${JSON.stringify(raw)}).`,
      {
        param: 'after',
      },
    )
  return n
}
