// GET /v1/models and /v1/models/:id: `rlm` and `rlm:<id>` for each configured root model, in
// OpenAI's list shape, so model pickers and `client.models.list()` work unchanged.

import type { Hono } from 'hono'
import { notFound } from './api-error.ts'
import type { ServerState } from './server-state.ts'

export function modelsRoutes(app: Hono, state: ServerState, startedAt: number): void {
  const created = Math.floor(startedAt / 1000)
  const entry = (id: string) => ({ id, object: 'model', created, owned_by: 'rlm' })
  app.get('/v1/models', (c) => c.json({ object: 'list', data: state.models.names.map(entry) }))
  app.get('/v1/models/:id{.+}', (c) => {
    const id = c.req.param('id')
    if (!state.models.names.includes(id))
      throw notFound(
        `There is no model ${JSON.stringify(id)}; GET /v1/models lists the models of this server.`,
      )
    return c.json(entry(id))
  })
}
