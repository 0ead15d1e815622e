// An RLM as an AI SDK tool: an agent built with generateText({ tools }) hands a long-context
// question (with files under the allowed roots, or text) to an RLM and gets the answer back.
import { resolve } from 'node:path'
import { createRlm, type RlmConfigInput } from '@rlm/engine'
import { type Tool, tool } from 'ai'
import { z } from 'zod'
import { readRootedFiles } from './root-paths.ts'

export interface RlmToolConfig extends RlmConfigInput {
  /** Directories `paths` may name files under; none: the tool refuses every path. */
  roots?: string[]
  /** Total bytes of the files one call may read (default 64 MiB). */
  maxBytes?: number
  /** The tool's description for the agent's model. */
  description?: string
}

const DEFAULT_DESCRIPTION =
  'Answers a question about a long text or a set of files, too long to read directly, with a Recursive Language Model that searches and reads it with code. Give `question`, and either `paths` (files) or `text`.'

export const rlmToolInputSchema = z
  .object({
    question: z.string().min(1).describe('The question to answer about the text or files.'),
    paths: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Files to read, relative to the allowed roots.'),
    text: z.string().optional().describe('The text to answer about, when it is not in files.'),
  })
  .refine((input) => input.paths === undefined || input.text === undefined, {
    message: 'give either paths or text, not both',
  })

export type RlmToolInput = z.infer<typeof rlmToolInputSchema>

export interface RlmToolOutput {
  answer: string
  status: 'final' | 'budget_exhausted' | 'error'
  error?: { code: string; message: string }
  runId: string
  usage: { inputTokens: number; outputTokens: number; costUsd: number }
}

export function rlmTool(config: RlmToolConfig): Tool<RlmToolInput, RlmToolOutput> {
  const { roots = [], maxBytes = 64 * 1024 * 1024, description = DEFAULT_DESCRIPTION, ...rlmConfig } = config
  const allowed = roots.map((root) => resolve(root))
  const rlm = createRlm(rlmConfig)
  return tool({
    description,
    inputSchema: rlmToolInputSchema,
    async execute({ question, paths, text }, { abortSignal }): Promise<RlmToolOutput> {
      const documents = paths ? await readRootedFiles(paths, allowed, maxBytes) : undefined
      const result = await rlm.run({
        query: question,
        ...(documents ? { context: { documents } } : text !== undefined ? { context: text } : {}),
        ...(abortSignal ? { signal: abortSignal } : {}),
      })
      return {
        answer: result.answer,
        status: result.status,
        ...(result.error ? { error: result.error } : {}),
        runId: result.runId,
        usage: {
          inputTokens: result.usage.inputTokens,
          outputTokens: result.usage.outputTokens,
          costUsd: result.usage.costUsd,
        },
      }
    },
  })
}
