// Reads a JSONL trace into events: every line checked against the event envelope with zod; bad
// lines are counted (a trace cut off by a crash still opens), a file with no events is an error.

import { readFileSync } from 'node:fs'
import type { RlmEvent } from '@rlm/engine'
import { RlmError } from '@rlm/errors'
import { z } from 'zod'

const EVENT_TYPES = [
  'run_start',
  'run_end',
  'iteration_start',
  'model_reply',
  'code_end',
  'iteration_end',
  'subcall_start',
  'subcall_end',
  'child_start',
  'child_end',
  'context_access',
  'final',
  'compaction',
  'budget_exhausted',
  'error',
  'notice',
] as const

export const traceEventSchema = z.looseObject({
  type: z.enum(EVENT_TYPES),
  runId: z.string(),
  nodeId: z.string(),
  depth: z.number().int().min(0),
  timestamp: z.number(),
})

export interface TraceRead {
  events: RlmEvent[]
  badLines: number
}

export function parseTrace(text: string): TraceRead {
  const events: RlmEvent[] = []
  let badLines = 0
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      badLines++
      continue
    }
    const parsed = traceEventSchema.safeParse(value)
    if (parsed.success) events.push(parsed.data as unknown as RlmEvent)
    else badLines++
  }
  return { events, badLines }
}

export function readTrace(path: string): TraceRead {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT'
    throw new RlmError(
      'E_TRACE',
      missing
        ? `Trace file not found: ${path}. Pass a .jsonl trace written by rlm run (see the "trace:" line it prints, or .rlm/traces/).`
        : `Cannot read the trace file ${path}: ${(cause as Error).message}; check the path and its permissions.`,
      { cause },
    )
  }
  const read = parseTrace(text)
  if (read.events.length === 0) {
    throw new RlmError(
      'E_TRACE',
      `${path} holds no rlm events${read.badLines ? ` (${read.badLines} unreadable lines)` : ''}: pass a JSONL trace written by rlm run --trace or rlm demo.`,
    )
  }
  return read
}
