// zod schemas for everything callers (and model-written code) pass into a context.
import { formatIssues, RlmError } from '@rlm/errors'
import { z } from 'zod'
import { ContextErrorCode } from './context-errors.ts'

import { DEFAULT_MAX_CHUNKS, DEFAULT_MAX_RESULT_CHARS } from './result-limits.ts'

export { DEFAULT_MAX_CHUNKS, DEFAULT_MAX_RESULT_CHARS, HIT_OVERHEAD_CHARS } from './result-limits.ts'

export const searchOptionsSchema = z
  .object({
    /** Most hits returned (default 1000). */
    limit: z.number().int().positive().default(1000),
    /** Skip hits that start before this UTF-16 offset: page with `{ from: lastHit.end }`. */
    from: z.number().int().nonnegative().default(0),
    /**
     * Characters of hit text and snippets one search may hold (each hit also counts
     * HIT_OVERHEAD_CHARS for its fields); past it the search stops with E_LIMIT.
     */
    maxResultChars: z.number().int().positive().default(DEFAULT_MAX_RESULT_CHARS),
    ignoreCase: z.boolean().default(false),
    /** Match the pattern text as is, not as a regular expression. */
    literal: z.boolean().default(false),
    /** `^`/`$` match at line starts/ends (default true, as grep); false: only at document edges. */
    multiline: z.boolean().optional(),
    /** `.` also matches newlines. */
    dotAll: z.boolean().default(false),
    /** Search only the document with this name. */
    document: z.string().optional(),
  })
  .strict()

export type SearchOptions = z.input<typeof searchOptionsSchema>

export const chunkOptionsSchema = z
  .object({
    strategy: z.enum(['fixed', 'tokens', 'paragraph', 'lines', 'document']).default('fixed'),
    /** Characters (fixed, paragraph), tokens (tokens) or lines (lines) per chunk. */
    size: z.number().int().positive().optional(),
    /** Shared between neighbours, in the same unit as size; must be smaller than size. */
    overlap: z.number().int().nonnegative().default(0),
    /** Count each chunk's tokens exactly with tiktoken (slower) instead of estimating. */
    exactTokens: z.boolean().default(false),
    /** Chunk only the document with this name. */
    document: z.string().optional(),
    /** Most chunks one call may return; more stops with E_LIMIT (use a larger size). */
    maxChunks: z.number().int().positive().default(DEFAULT_MAX_CHUNKS),
  })
  .strict()

export type ChunkOptions = z.input<typeof chunkOptionsSchema>

export const DEFAULT_CHUNK_SIZE = {
  fixed: 100_000,
  paragraph: 100_000,
  tokens: 25_000,
  lines: 1000,
  document: 0,
}

export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value ?? {})
  if (parsed.success) return parsed.data
  throw new RlmError(ContextErrorCode.badInput, `${what}: ${formatIssues(parsed.error.issues)}`, {
    cause: parsed.error,
  })
}

/** execRegExp's pattern: a RegExp, or its source and flags. */
export const regExpSchema = z.object({ source: z.string(), flags: z.string() })

export const regExpExecOptionsSchema = z
  .object({
    from: z.number().int().nonnegative().optional(),
    limit: z.number().int().positive().optional(),
    maxMatches: z.number().int().positive().optional(),
    maxResultChars: z.number().int().positive().optional(),
  })
  .strict()
