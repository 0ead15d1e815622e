// What the viewer accepts as a trace, read into validated events and per-line issues with the
// engine's one trace reader: JSONL text, event values (each checked like a line), or a read
// already made by readTraceFile / readTrace.

import { checkTraceEvent, parseTrace, type TraceEvent, type TraceIssue, type TraceRead } from '@rlm/engine'

/** JSONL text, parsed event values (e.g. from `onEvent`), or the result of `readTraceFile`. */
export type TraceInput = string | readonly unknown[] | TraceRead

function isTraceRead(trace: TraceInput): trace is TraceRead {
  return typeof trace === 'object' && !Array.isArray(trace) && 'events' in trace && 'issues' in trace
}

export function readTraceInput(trace: TraceInput): TraceRead {
  if (typeof trace === 'string') return parseTrace(trace)
  if (isTraceRead(trace)) return trace
  const events: TraceEvent[] = []
  const issues: TraceIssue[] = []
  for (const [i, value] of (trace as readonly unknown[]).entries()) {
    const { event, issue } = checkTraceEvent(value, i + 1)
    if (event) events.push(event)
    else issues.push(issue)
  }
  return { events, issues }
}
