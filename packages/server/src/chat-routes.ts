// POST /v1/chat/completions: the OpenAI chat completions endpoint, answered by an RLM run. The
// client waits (or streams) while the run goes; when it disconnects, the run is cancelled unless it
// sent `rlm: { detach: true }`.

import type { Context, Hono } from 'hono'
import { runFailureReply } from './api-error.ts'
import { readJson } from './body-parsing.ts'
import { answerChunks, completionBody, firstChunk, progressChunk } from './chat-completion.ts'
import { parseChatRequest } from './chat-request.ts'
import { idempotencyOf } from './idempotency.ts'
import type { ManagedRun } from './managed-run.ts'
import { prepareRun } from './run-preparation.ts'
import type { ServerState } from './server-state.ts'
import { sseResponse } from './sse-stream.ts'

export function chatRoutes(app: Hono, state: ServerState): void {
  app.post('/v1/chat/completions', async (c) => {
    const raw = await readJson(c.req.raw, state.maxBodyBytes)
    const ask = parseChatRequest(raw)
    const request = await prepareRun(
      state,
      {
        kind: 'chat',
        model: ask.model,
        query: ask.query,
        documents: ask.documents,
        contextPaths: ask.contextPaths,
        settings: ask.settings,
      },
      'rlm.',
    )
    const idempotency = idempotencyOf(c, 'chat', raw)
    const { run } = state.runs.submit(request, idempotency)
    if (!ask.detach) run.holdFor(c.req.raw.signal, idempotency.idempotencyKey ? state.reattachGraceMs : 0)
    if (ask.stream) return streamCompletion(c, run, ask.includeUsage)
    await run.done
    return finishedCompletion(c, run)
  })
}

function finishedCompletion(c: Context, run: ManagedRun): Response {
  if (run.status === 'final' || run.status === 'budget_exhausted') return c.json(completionBody(run))
  const failure = runFailureReply(
    run.error ?? { code: 'E_INTERNAL', message: 'The run ended without a result.' },
  )
  return c.json(failure.body, failure.status as 500, failure.headers)
}

function streamCompletion(c: Context, run: ManagedRun, includeUsage: boolean): Response {
  return sseResponse(c.req.raw.signal, (writer) => {
    const send = (value: unknown): void => writer.send({ data: JSON.stringify(value) })
    send(firstChunk(run))
    return run.subscribe(0, {
      event: (_seq, e) => send(progressChunk(run, e)),
      end: () => {
        if (run.status === 'final' || run.status === 'budget_exhausted') {
          for (const piece of answerChunks(run, includeUsage)) send(piece)
          writer.send({ data: '[DONE]' })
        } else {
          // OpenAI's SDKs raise an error chunk as an APIError: the failure reaches the caller's code.
          const failure = runFailureReply(
            run.error ?? { code: 'E_INTERNAL', message: 'The run ended without a result.' },
          )
          send(failure.body)
        }
        writer.close()
      },
    })
  })
}
