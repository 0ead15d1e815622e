// Request bodies: JSON only, parsed once, checked with zod; every problem is one 400 E_CONFIG whose
// message names each bad field the way the client wrote it.

import type { z } from 'zod'
import { ApiError } from './api-error.ts'

/** Parses a body (or part of one) with a schema; `prefix` says where the part sits ("rlm."). */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const first = parsed.error.issues[0]
  throw new ApiError(400, 'E_CONFIG', `Invalid request body. ${issuesMessage(parsed.error, prefix)}.`, {
    ...(first && first.path.length > 0 && { param: prefix + first.path.map(String).join('.') }),
  })
}

function issuesMessage(error: z.ZodError, prefix: string): string {
  return error.issues
    .slice(0, 8)
    .map((issue) => {
      const path = issue.path.length
        ? prefix + issue.path.map(String).join('.')
        : prefix.replace(/\.$/, '') || 'body'
      const message =
        issue.code === 'unrecognized_keys'
          ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
          : issue.message
      return `${path}: ${message}`
    })
    .join('; ')
}

/** The JSON body of a request, read up to `maxBytes` (413 beyond); a body that is not JSON is a 400. */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const text = await readLimited(request, maxBytes)
  if (text.trim() === '') throw new ApiError(400, 'E_CONFIG', 'The request has no body; send a JSON object.')
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new ApiError(400, 'E_CONFIG', `The request body is not valid JSON (${(cause as Error).message}).`, {
      cause,
    })
  }
}

const tooLarge = (maxBytes: number): ApiError =>
  new ApiError(
    413,
    'E_LIMIT',
    `The request body is over this server's limit of ${maxBytes} bytes; send less text inline, or name files under the context root in context_paths.`,
  )

/** Reads the body as UTF-8, refusing it as soon as it is known to be too large (never buffering more). */
async function readLimited(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN)
  if (declared > maxBytes) throw tooLarge(maxBytes)
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => {})
      throw tooLarge(maxBytes)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks, size).toString('utf8')
}

/**
 * The engine's camelCase names (`maxDepth`, `contextPaths`) as snake_case (`max_depth`), so a
 * JavaScript client may send either; the snake_case spelling wins when both are sent.
 */
export function snakeKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  const out: Record<string, unknown> = {}
  const entries = Object.entries(value as Record<string, unknown>)
  for (const [key, v] of entries) {
    const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
    if (snake !== key && Object.hasOwn(value, snake)) continue
    out[snake] = v
  }
  return out
}
