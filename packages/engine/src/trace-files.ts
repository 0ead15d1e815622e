// Trace files are private (they hold excerpts of the context and the prompts): created 0600 in a
// directory created 0700. Files named by rlm (`<prefix>-<yyyymmdd>-<hhmmss>-<hex>.jsonl`, and the
// viewer pages written beside them) are pruned from a trace's directory once older than the
// retention; nothing else there is ever touched.

import { randomBytes } from 'node:crypto'
import { readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'

const TRACE_FILE_NAME = /^[a-z][a-z0-9]*-\d{8}-\d{6}-[0-9a-f]{6}\.(?:jsonl|html)$/
const DAY_MS = 86_400_000

/** A fresh trace file name such as `run-20261126-101500-3fa2c1.jsonl` (UTC time). */
export function traceFileName(prefix = 'run', now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `${prefix}-${stamp}-${randomBytes(3).toString('hex')}.jsonl`
}

/** True for names traceFileName gives (and their `.html` viewer pages). */
export function isTraceFileName(name: string): boolean {
  return TRACE_FILE_NAME.test(name)
}

/**
 * Deletes the trace files in `dir` last written more than `retentionDays` ago (0 keeps all);
 * returns the paths removed. Best effort: an unreadable directory or file is left alone.
 */
export function pruneTraces(dir: string, retentionDays: number, now = Date.now()): string[] {
  if (!(retentionDays > 0)) return []
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  const removed: string[] = []
  const cutoff = now - retentionDays * DAY_MS
  for (const name of names) {
    if (!isTraceFileName(name)) continue
    const path = join(dir, name)
    try {
      const st = statSync(path)
      if (!st.isFile() || st.mtimeMs >= cutoff) continue
      rmSync(path)
      removed.push(path)
    } catch {
      // raced with another run's pruning, or not ours to delete
    }
  }
  return removed
}
