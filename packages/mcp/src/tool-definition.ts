// A tool of this server: its name, the description an agent reads, the zod schemas of its
// arguments and structured result (their JSON Schemas are what tools/list shows), and the handler.
// Arguments are parsed here, not by the SDK, so a bad argument is a tool error with rlm's E_USAGE
// code and a message naming each field, never a protocol error.

import type { Tool, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js'
import { RlmError } from '@rlm/errors'
import { z } from 'zod'
import type { RootSet } from './root-paths.ts'
import type { ProgressSink } from './run-progress.ts'
import type { ToolSuccess } from './tool-result.ts'

/** What a handler gets besides its arguments. */
export interface ToolCall {
  /** Aborted when the client cancels the request or disconnects. */
  signal: AbortSignal
  /** Set when the client asked for progress (a progressToken in the request). */
  progress: ProgressSink | undefined
  /** The roots paths must lie in (the client may be asked for them as part of this call). */
  roots(): Promise<RootSet>
}

export interface McpTool<I extends z.ZodObject = z.ZodObject> {
  name: string
  title: string
  description: string
  input: I
  output: z.ZodObject
  annotations: ToolAnnotations
  run(args: z.output<I>, call: ToolCall): Promise<ToolSuccess>
}

/** The tools/list entry: JSON Schema draft-07, as the SDK's own client validates with. */
export function toolListing(tool: McpTool): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: z.toJSONSchema(tool.input, { target: 'draft-7', io: 'input' }) as Tool['inputSchema'],
    outputSchema: z.toJSONSchema(tool.output, { target: 'draft-7', io: 'output' }) as Tool['outputSchema'],
    annotations: tool.annotations,
  }
}

/** Parses a call's arguments, or throws E_USAGE naming every wrong field and what it expects. */
export function parseArguments<I extends z.ZodObject>(tool: McpTool<I>, raw: unknown): z.output<I> {
  const parsed = tool.input.safeParse(raw ?? {})
  if (parsed.success) return parsed.data
  const problems = parsed.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'arguments'
    return `${where}: ${issue.message}`
  })
  throw new RlmError(
    'E_USAGE',
    `Invalid arguments for ${tool.name}: ${problems.join('; ')}. Fix them and call again (tools/list has the input schema).`,
    { details: { issues: problems } },
  )
}
