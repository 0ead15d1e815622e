// The one reader of JSONL traces, against the trace schema. Lenient (the viewer): every line that
// is not a valid event becomes an issue naming its line and what was wrong. Strict (replay): such a
// line is an E_TRACE error, except a torn last line (a crash can leave one) and event types this
// engine does not know (a newer engine's), which are skipped.

import { readFileSync } from 'node:fs'
import { RlmError } from '@rlm/errors'
import type { z } from 'zod'
import { TRACE_EVENT_TYPES, type TraceEvent, traceEnvelopeSchema, traceEventSchema } from './trace-schema.ts'

export interface TraceIssue {
  /** 1-based line of the JSONL text (for events given as values: 1-based index). */
  line: number
  /** json: not JSON; envelope: no type/runId/nodeId/depth/timestamp; fields: a field of a known
   * event is wrong; unknown_type: a valid envelope with a type this engine does not know. */
  kind: 'json' | 'envelope' | 'fields' | 'unknown_type'
  message: string
  /** The line's envelope, when it had a valid one: where a viewer shows the issue. */
  type?: string
  runId?: string
  nodeId?: string
}

export interface TraceRead {
  events: TraceEvent[]
  issues: TraceIssue[]
}

export interface ReadTraceOptions {
  /** 'lenient' (default): bad lines become issues. 'strict': a bad line throws E_TRACE. */
  mode?: 'lenient' | 'strict'
}

const MAX_ISSUES_PER_LINE = 3

function describeIssues(error: z.ZodError, prefix: string): string {
  const shown = error.issues.slice(0, MAX_ISSUES_PER_LINE).map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.')
    return `${path || 'event'}: ${issue.message}`
  })
  const more = error.issues.length - shown.length
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '')
}

export type TraceCheck = { event: TraceEvent; issue?: undefined } | { event?: undefined; issue: TraceIssue }

/** Checks one parsed value against the schema: the event, or the issue that says why it is not one. */
export function checkTraceEvent(value: unknown, line: number): TraceCheck {
  const parsed = traceEventSchema.safeParse(value)
  if (parsed.success) return { event: parsed.data }
  // Only a line that failed is checked again, to say which part of it was wrong.
  const envelope = traceEnvelopeSchema.safeParse(value)
  if (!envelope.success)
    return {
      issue: { line, kind: 'envelope', message: `not an rlm event: ${describeIssues(envelope.error, '')}` },
    }
  const { type, runId, nodeId } = envelope.data
  const where = { line, type, runId, nodeId }
  if (!TRACE_EVENT_TYPES.has(type))
    return {
      issue: { ...where, kind: 'unknown_type', message: `event type "${type}" is not known to this version` },
    }
  return { issue: { ...where, kind: 'fields', message: describeIssues(parsed.error, type) } }
}

/** Reads JSONL trace text (one event a line; blank lines ignored). */
export function parseTrace(text: string, options: ReadTraceOptions = {}): TraceRead {
  return parseLines(text, options.mode === 'strict', 'the trace')
}

function parseLines(text: string, strict: boolean, source: string): TraceRead {
  const lines = text.split('\n')
  const lastLine = lines.findLastIndex((l) => l.trim() !== '')
  const events: TraceEvent[] = []
  const issues: TraceIssue[] = []
  for (const [i, raw] of lines.entries()) {
    if (raw.trim() === '') continue
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch {
      if (strict && i === lastLine) break
      issues.push({ line: i + 1, kind: 'json', message: 'not JSON (a torn or foreign line)' })
      if (strict) break
      continue
    }
    const { event, issue } = checkTraceEvent(value, i + 1)
    if (event) events.push(event)
    else if (!(strict && issue.kind === 'unknown_type')) issues.push(issue)
    if (strict && issues.length) break
  }
  if (strict && issues[0])
    throw new RlmError(
      'E_TRACE',
      `line ${issues[0].line} of ${source} is not a valid rlm event (${issues[0].message}); pass a trace written by rlm, unedited.`,
      { details: { issue: issues[0] } },
    )
  return { events, issues }
}

/** Reads a JSONL trace file; a missing or unreadable file is E_TRACE. */
export function readTrace(path: string, options: ReadTraceOptions = {}): TraceRead {
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
  return parseLines(text, options.mode === 'strict', path)
}
