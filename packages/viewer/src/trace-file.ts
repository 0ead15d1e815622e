// Reads a trace file for the viewer: leniently (bad lines become issues, so a trace cut off by a
// crash still opens), but a file with no rlm event at all is an error worth stopping on.

import { readTrace, type TraceRead } from '@rlm/engine'
import { RlmError } from '@rlm/errors'

/** Reads a JSONL trace into its valid events and per-line issues; E_TRACE when missing or eventless. */
export function readTraceFile(path: string): TraceRead {
  const read = readTrace(path, { mode: 'lenient' })
  if (read.events.length === 0) {
    const bad = read.issues.length
    throw new RlmError(
      'E_TRACE',
      `${path} holds no rlm events${bad ? ` (${bad} unreadable lines)` : ''}: pass a JSONL trace written by rlm run --trace or rlm demo.`,
      { details: { issues: read.issues.slice(0, 10) } },
    )
  }
  return read
}
