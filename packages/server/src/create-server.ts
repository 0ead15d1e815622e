// createServer: the whole HTTP app as one fetch handler (usable in any server that speaks the web
// Request/Response API) plus `listen()` for Node. Routes: OpenAI-compatible models and chat
// completions, the runs API, /healthz and /metrics, behind the request guard and the body limit.

import { createRlm } from '@rlm/engine'
import { redactSecrets, registerSecret } from '@rlm/errors'
import { Hono } from 'hono'
import type { Registry } from 'prom-client'
import { ApiError, errorBody, errorReply } from './api-error.ts'
import { chatRoutes } from './chat-routes.ts'
import { openContextRoots } from './context-paths.ts'
import { type ListeningServer, type ListenOptions, listenNode } from './listen-node.ts'
import { modelsRoutes } from './models-routes.ts'
import { createOtelObserver } from './otel-spans.ts'
import { requestGuard } from './request-guard.ts'
import { createRunManager, type RunManager } from './run-manager.ts'
import { runsRoutes } from './runs-routes.ts'
import { createServedModels } from './served-models.ts'
import { createServerMetrics } from './server-metrics.ts'
import { MIN_TOKEN_CHARS, parseServerOptions, type ServerOptions } from './server-options.ts'
import type { ServerState } from './server-state.ts'

export interface RlmServer {
  /** The request handler: a web Request in, a Response out. */
  readonly fetch: (request: Request) => Response | Promise<Response>
  /** The Hono app, to mount under another app or add routes to. */
  readonly app: Hono
  readonly runs: RunManager
  /** The Prometheus registry behind GET /metrics. */
  readonly metrics: Registry
  /** Serves on Node's http module; refuses a non-loopback host without a token. */
  listen(options?: ListenOptions): Promise<ListeningServer>
  /** Refuses new runs, cancels queued ones, lets running ones finish for `graceMs` (default 30 s), then cancels them. */
  shutdown(graceMs?: number): Promise<void>
}

export const DEFAULT_SHUTDOWN_GRACE_MS = 30_000

export function createServer(options: ServerOptions): RlmServer {
  const opts = parseServerOptions(options)
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  if (opts.token !== undefined) {
    registerSecret(opts.token)
    if (opts.token.length < MIN_TOKEN_CHARS)
      log(
        `rlm serve: warning: the token has ${opts.token.length} characters; use ${MIN_TOKEN_CHARS} or more (e.g. openssl rand -hex 24).`,
      )
  }
  const engine = opts.engine ?? {}
  const models = createServedModels(opts.models, opts.subModel)
  // The server's own settings must make a valid engine config: fail now, not on the first request.
  createRlm({ ...engine, ...capsAsSettings(opts.caps ?? {}), model: models.resolve(undefined).model })
  const metrics = createServerMetrics(() => runs)
  const runs = createRunManager({
    maxConcurrentRuns: opts.maxConcurrentRuns,
    maxQueue: opts.maxQueue,
    keepFinishedRuns: opts.keepFinishedRuns,
    maxEventsInMemory: opts.maxEventsInMemory,
    traceDir: opts.traceDir,
    observers: [metrics.observer, createOtelObserver(), ...opts.observers],
  })
  const state: ServerState = {
    models,
    caps: opts.caps ?? {},
    roots: openContextRoots(opts.contextRoots),
    engine,
    runs,
    reattachGraceMs: opts.reattachGraceMs,
    maxBodyBytes: opts.maxBodyBytes,
  }
  const app = buildApp(state, { token: opts.token, log, metrics })
  const shutdown = (graceMs = DEFAULT_SHUTDOWN_GRACE_MS): Promise<void> => runs.shutdown(graceMs)
  return {
    fetch: app.fetch,
    app,
    runs,
    metrics: metrics.registry,
    listen: (listenOptions) => listenNode(app.fetch, { ...listenOptions, token: opts.token, shutdown }),
    shutdown,
  }
}

function capsAsSettings(caps: NonNullable<ServerOptions['caps']>) {
  const budget = {
    ...(caps.maxTokens !== undefined && { maxTokens: caps.maxTokens }),
    ...(caps.maxCostUsd !== undefined && { maxCostUsd: caps.maxCostUsd }),
    ...(caps.maxWallTimeMs !== undefined && { maxWallTimeMs: caps.maxWallTimeMs }),
    ...(caps.maxSubCalls !== undefined && { maxSubCalls: caps.maxSubCalls }),
  }
  return {
    ...(caps.maxDepth !== undefined && { maxDepth: caps.maxDepth }),
    ...(caps.maxIterations !== undefined && { maxIterations: caps.maxIterations }),
    ...(caps.concurrency !== undefined && { concurrency: caps.concurrency }),
    budget,
  }
}

interface AppSettings {
  token: string | undefined
  log: (line: string) => void
  metrics: ReturnType<typeof createServerMetrics>
}

function buildApp(state: ServerState, settings: AppSettings): Hono {
  const app = new Hono()
  app.use(async (c, next) => {
    const t0 = performance.now()
    await next()
    settings.metrics.observeRequest(
      c.req.routePath,
      c.req.method,
      c.res.status,
      (performance.now() - t0) / 1000,
    )
  })
  app.use(requestGuard(settings.token))
  app.get('/healthz', (c) =>
    state.runs.accepting ? c.json({ status: 'ok' }) : c.json({ status: 'shutting_down' }, 503),
  )
  app.get('/metrics', async (c) =>
    c.body(await settings.metrics.registry.metrics(), 200, {
      'content-type': settings.metrics.registry.contentType,
    }),
  )
  modelsRoutes(app, state, Date.now())
  chatRoutes(app, state)
  runsRoutes(app, state)
  app.notFound((c) =>
    c.json(
      errorBody(
        404,
        'E_NOT_FOUND',
        `There is no route ${c.req.method} ${c.req.path}; see the README of @rlm/server.`,
        null,
      ),
      404,
    ),
  )
  app.onError((err, c) => {
    const reply = errorReply(err)
    if (reply.status >= 500 && !(err instanceof ApiError))
      settings.log(
        `rlm serve: ${c.req.method} ${c.req.path} failed: ${redactSecrets((err as Error)?.stack ?? String(err))}`,
      )
    return c.json(reply.body, reply.status as 500, reply.headers)
  })
  return app
}
