// Trace file in, viewer HTML file out (shared by `rlm view` and `rlm demo`).

import { basename } from 'node:path'
import { RlmError } from '@rlm/errors'
import { writeFileAtomic } from '../write-file-atomic.ts'
import { readTrace } from './trace-file.ts'
import { buildViewerHtml } from './viewer-html.ts'

export function viewerPathFor(tracePath: string): string {
  return tracePath.endsWith('.jsonl') ? `${tracePath.slice(0, -'.jsonl'.length)}.html` : `${tracePath}.html`
}

export function writeViewer(tracePath: string, outPath: string): { events: number; badLines: number } {
  const { events, badLines } = readTrace(tracePath)
  const html = buildViewerHtml(events, { title: `rlm trace · ${basename(tracePath)}`, badLines })
  try {
    writeFileAtomic(outPath, html)
  } catch (cause) {
    throw new RlmError(
      'E_USAGE',
      `Cannot write ${outPath}: ${(cause as Error).message}; pass a writable path to -o.`,
      { cause },
    )
  }
  return { events: events.length, badLines }
}
