// The script a benchmark model server plays: root conversations recognised by a marker in their
// first user message, answered turn by turn; every other request is a sub-call answered with a
// digest of its prompt. Turns are chosen by how many assistant messages the request already
// carries, so the server keeps no per-conversation state and any number of runs can overlap.
import { readFileSync } from 'node:fs'
import { z } from 'zod'

const ms = (what: string) => z.int(`expected ${what} as whole milliseconds`).min(0)

export const conversationSchema = z
  .object({
    /** A substring of the conversation's first user message (e.g. a marker in the query). */
    match: z.string().min(1, 'expected a non-empty marker to recognise the conversation by'),
    /** Reply for turn 0, 1, ...; past the end the last one repeats. */
    turns: z.array(z.string()).min(1, 'expected at least one scripted turn'),
    /** Latency of this conversation's turns (default: the script's latencyMs). */
    latencyMs: ms('latencyMs').optional(),
  })
  .strict()

export const modelScriptSchema = z
  .object({
    /** Delay before every answer. */
    latencyMs: ms('latencyMs').default(0),
    /** Delay before sub-call answers (default: latencyMs). */
    subLatencyMs: ms('subLatencyMs').optional(),
    conversations: z.array(conversationSchema).default([]),
    /** What sub-calls get: 'digest' (sha256 prefix and length of the prompt) or 'echo' (the prompt). */
    sub: z.enum(['digest', 'echo']).default('digest'),
  })
  .strict()

export type Conversation = z.output<typeof conversationSchema>
export type ModelScript = z.output<typeof modelScriptSchema>
export type ModelScriptInput = z.input<typeof modelScriptSchema>

/** Validates a script; throws an Error naming every bad field. */
export function parseModelScript(input: unknown, source = 'script'): ModelScript {
  const r = modelScriptSchema.safeParse(input)
  if (r.success) return r.data
  const problems = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
  throw new Error(`Invalid model script ${source}: ${problems.join('; ')}`)
}

export function readModelScript(path: string): ModelScript {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new Error(`Cannot read the model script ${path}: ${(err as Error).message}. Pass a JSON file.`)
  }
  return parseModelScript(json, path)
}
