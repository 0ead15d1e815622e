// context_search: where a pattern occurs in files and folders, as file and line — free, no model
// call. Runs @rlm/context's linear-time search on a worker thread (no pattern can hang it), and a
// cancelled request stops the scan.

import type { Context, SearchHit } from '@rlm/context'
import { z } from 'zod'
import { loadRequestedContext } from '../path-context.ts'
import type { McpTool } from '../tool-definition.ts'
import { PATHS_DESCRIPTION, type ToolEnvironment } from './tool-environment.ts'

const DEFAULT_LIMIT = 100
const MAX_LIMIT = 1000
/** Characters of hit text and snippets one search may return (a hit's line is cut to ~160). */
const MAX_RESULT_CHARS = 1_000_000

const input = z
  .object({
    paths: z.array(z.string().min(1)).min(1).max(100).describe(PATHS_DESCRIPTION),
    pattern: z
      .string()
      .min(1)
      .describe(
        'A regular expression in RE2 syntax (as JavaScript without lookaround or backreferences); escape . * + ? ( ) [ ] { } | \\ ^ $ to match them as text. It matches within lines (^ and $ are line edges).',
      ),
    ignoreCase: z.boolean().optional().describe('Match without regard to case (default false)'),
    limit: z
      .number()
      .int()
      .min(1)
      .max(MAX_LIMIT)
      .optional()
      .describe(`Most hits to return (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT})`),
  })
  .strict()

const hitSchema = z.object({
  file: z.string(),
  line: z.number().describe('1-based line in the file'),
  text: z.string().describe('The matched text'),
  snippet: z.string().describe('The line around the match, cut to about 80 characters each side'),
})

const output = z.object({
  hits: z.array(hitSchema),
  truncated: z
    .boolean()
    .describe('True when there may be more hits than returned: raise limit or narrow the pattern'),
  filesSearched: z.number(),
})

function toHit(ctx: Context, hit: SearchHit, firstLine: Map<string, number>): z.infer<typeof hitSchema> {
  let first = firstLine.get(hit.document)
  if (first === undefined) {
    const doc = ctx.documents.find((d) => d.name === hit.document)
    first = doc ? ctx.lineOf(doc.start) : 1
    firstLine.set(hit.document, first)
  }
  return { file: hit.document, line: hit.line - first + 1, text: hit.text, snippet: hit.snippet }
}

export function searchTool(env: ToolEnvironment): McpTool<typeof input> {
  return {
    name: 'context_search',
    title: 'Search files and folders',
    description:
      "Find where a pattern occurs in files or folders inside the server's roots: each hit's file, 1-based line number and the matching line. Free and fast (no model call, linear-time even on gigabytes). Use it to locate code or text before reading it, or to check how often something appears; for questions that need reading and reasoning over a lot of text, use rlm_ask.",
    input,
    output,
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run(args, call) {
      const ctx = await loadRequestedContext({ paths: args.paths }, call.roots, env.load)
      const limit = args.limit ?? DEFAULT_LIMIT
      // One more than asked: whether there are more hits, without counting them all.
      const found = await ctx.searchAsync(args.pattern, {
        limit: limit + 1,
        ignoreCase: args.ignoreCase ?? false,
        maxResultChars: MAX_RESULT_CHARS,
        signal: call.signal,
      })
      const firstLine = new Map<string, number>()
      const hits = found.slice(0, limit).map((h) => toHit(ctx, h, firstLine))
      const truncated = found.length > limit
      const lines = hits.map((h) => `${h.file}:${h.line}: ${h.snippet}`)
      const summary = `${hits.length} hit${hits.length === 1 ? '' : 's'}${truncated ? ` (more exist: raise limit, at most ${MAX_LIMIT}, or narrow the pattern)` : ''} in ${ctx.documents.length} file${ctx.documents.length === 1 ? '' : 's'}.`
      return {
        structured: { hits, truncated, filesSearched: ctx.documents.length },
        text: [[summary, ...lines].join('\n')],
      }
    },
  }
}
