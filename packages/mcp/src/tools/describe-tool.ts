// context_describe: the size and shape of files and folders before asking about them — free, no
// model call. Sizes are @rlm/context's instant token estimate, the figure the root model is shown.

import type { Context } from '@rlm/context'
import { z } from 'zod'
import { loadRequestedContext } from '../path-context.ts'
import type { McpTool } from '../tool-definition.ts'
import { PATHS_DESCRIPTION, type ToolEnvironment } from './tool-environment.ts'

/** Documents listed at most (largest first); the counts cover all of them. */
const LISTED_DOCUMENTS = 200
const LISTED_WARNINGS = 50

const input = z
  .object({
    paths: z.array(z.string().min(1)).min(1).max(100).describe(PATHS_DESCRIPTION),
  })
  .strict()

const documentSchema = z.object({
  file: z.string(),
  characters: z.number(),
  lines: z.number(),
  estimatedTokens: z.number(),
})

const output = z.object({
  characters: z.number(),
  bytes: z.number(),
  lines: z.number(),
  estimatedTokens: z.number().describe('Instant estimate of the whole text in tokens (o200k_base)'),
  documentCount: z.number(),
  type: z.string().describe('prose, code, json, jsonl, csv, logs, markdown, mixed or empty'),
  documents: z.array(documentSchema).describe(`The largest documents first, at most ${LISTED_DOCUMENTS}`),
  shape: z.string().describe('The shape text rlm_ask shows its root model'),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
})

function documentsOf(ctx: Context): z.infer<typeof documentSchema>[] {
  return ctx.documents
    .map((d) => ({
      file: d.name,
      characters: d.end - d.start,
      lines: d.end > d.start ? ctx.lineOf(d.end - 1) - ctx.lineOf(d.start) + 1 : 0,
      estimatedTokens: ctx.estimateTokens(d.start, d.end),
    }))
    .sort((a, b) => b.characters - a.characters)
    .slice(0, LISTED_DOCUMENTS)
}

export function describeTool(env: ToolEnvironment): McpTool<typeof input> {
  return {
    name: 'context_describe',
    title: 'Describe files and folders',
    description:
      "Size and shape of files or folders inside the server's roots, before you read or ask about them: characters, estimated tokens, lines, how many documents (files) and the largest ones, the detected content type, and the short shape text rlm_ask's model starts from. Free and fast: no model call. Use it to decide whether something fits your own window or needs rlm_ask.",
    input,
    output,
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run(args, call) {
      const ctx = await loadRequestedContext({ paths: args.paths }, call.roots, env.load)
      const shape = ctx.shape()
      const structured = {
        characters: shape.length,
        bytes: shape.bytes,
        lines: shape.lines,
        estimatedTokens: shape.estimatedTokens,
        documentCount: shape.documentCount,
        type: shape.type,
        documents: documentsOf(ctx),
        shape: ctx.describe(),
        warnings: ctx.warnings.slice(0, LISTED_WARNINGS).map((w) => ({ code: w.code, message: w.message })),
      }
      const skipped =
        ctx.warnings.length > 0 ? `\n${ctx.warnings.length} file(s) skipped or repaired: see warnings.` : ''
      return { structured, text: [`${structured.shape}${skipped}`] }
    },
  }
}
