// Default trace file names: one JSONL file per run under the trace directory (.rlm/ by default).

import { randomBytes } from 'node:crypto'
import { join, resolve } from 'node:path'

export function defaultTracePath(traceDir: string, prefix = 'run', now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return resolve(join(traceDir, 'traces', `${prefix}-${stamp}-${randomBytes(3).toString('hex')}.jsonl`))
}
