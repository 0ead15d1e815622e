// Appends every event to a JSONL file the moment it happens, with a synchronous write, so a
// crash mid-run leaves a trace that is complete up to the last event. The file is created 0600
// in a directory created 0700: it holds excerpts of the context and the prompts.

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { RlmError } from '@rlm/errors'
import type { RlmEvent } from './events.ts'

export interface TraceWriter {
  write(event: RlmEvent): void
  close(): void
}

export function openTrace(path: string): TraceWriter {
  let fd: number
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    fd = openSync(path, 'a', 0o600)
  } catch (cause) {
    throw new RlmError(
      'E_CONFIG',
      `config.trace: cannot open the trace file ${path} for appending; pass a writable path.`,
      {
        cause,
      },
    )
  }
  let open = true
  return {
    write(event) {
      // Live output is for watchers: code_end carries the same text, so the trace keeps that only.
      if (!open || event.type === 'cell_output') return
      writeSync(fd, JSON.stringify(event) + '\n')
    },
    close() {
      if (!open) return
      open = false
      try {
        closeSync(fd)
      } catch {
        // already closed by the OS; nothing to lose
      }
    },
  }
}
