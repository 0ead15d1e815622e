// Trace file in, viewer HTML file out (shared by `rlm view` and `rlm demo`), through @rlm/viewer.

import { basename } from 'node:path'
import { RlmError } from '@rlm/errors'
import { readTraceFile, renderTraceHtml } from '@rlm/viewer'
import { writeFileAtomic } from '../write-file-atomic.ts'

export function viewerPathFor(tracePath: string): string {
  return tracePath.endsWith('.jsonl') ? `${tracePath.slice(0, -'.jsonl'.length)}.html` : `${tracePath}.html`
}

export function writeViewer(tracePath: string, outPath: string): { events: number; badLines: number } {
  const read = readTraceFile(tracePath)
  const html = renderTraceHtml(read, { title: `rlm trace · ${basename(tracePath)}` })
  try {
    writeFileAtomic(outPath, html)
  } catch (cause) {
    throw new RlmError(
      'E_USAGE',
      `Cannot write ${outPath}: ${(cause as Error).message}; pass a writable path to -o.`,
      { cause },
    )
  }
  return { events: read.events.length, badLines: read.issues.length }
}
