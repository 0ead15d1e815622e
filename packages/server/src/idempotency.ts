// The Idempotency-Key header: a client (or its SDK's retry) that sends the same key gets the same
// run instead of starting a second one. Keys are scoped by endpoint, and remembered with the
// request they came with, so reusing one for a different request is refused.

import { createHash } from 'node:crypto'
import type { Context } from 'hono'
import { ApiError } from './api-error.ts'
import type { SubmitOptions } from './run-manager.ts'

const MAX_KEY_CHARS = 255

export function idempotencyOf(c: Context, scope: 'chat' | 'run', body: unknown): SubmitOptions {
  const key = c.req.header('idempotency-key')
  if (key === undefined || key === '') return {}
  if (key.length > MAX_KEY_CHARS)
    throw new ApiError(400, 'E_CONFIG', `Idempotency-Key: at most ${MAX_KEY_CHARS} characters.`, {
      param: 'Idempotency-Key',
    })
  return {
    idempotencyKey: `${scope}:${key}`,
    fingerprint: createHash('sha256').update(JSON.stringify(body)).digest('hex'),
  }
}
