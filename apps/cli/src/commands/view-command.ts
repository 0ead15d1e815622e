// `rlm view <trace.jsonl> [-o out.html] [--open]`: the trace as one self-contained HTML page.

import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { viewerPathFor, writeViewer } from '../viewer/write-viewer.ts'

export default async function viewCommand(opts: Record<string, unknown>, args: string[]): Promise<number> {
  const trace = resolve(args[0] as string)
  const out = resolve((opts.output as string | undefined) ?? viewerPathFor(trace))
  const { events, badLines } = writeViewer(trace, out)
  process.stdout.write(`${out}\n`)
  process.stderr.write(
    `rlm: wrote the viewer for ${events} events${badLines ? ` (${badLines} unreadable lines skipped)` : ''}\n`,
  )
  if (opts.open) openInBrowser(out)
  return 0
}

function openInBrowser(file: string): void {
  const url = pathToFileURL(file).href
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]]
  try {
    const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true })
    child.on('error', () => process.stderr.write(`rlm: could not open a browser; open ${url} yourself\n`))
    child.unref()
  } catch {
    process.stderr.write(`rlm: could not open a browser; open ${url} yourself\n`)
  }
}
