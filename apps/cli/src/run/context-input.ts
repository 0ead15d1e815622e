// Loads what `--context` names: files, directories, or '-' for stdin, into one @rlm/context
// Context. Skipped files (binaries, oversized) are reported on stderr, never dropped silently.

import type { Context } from '@rlm/context'
import { usageError } from '../usage-error.ts'

export interface LoadedContext {
  context: Context | undefined
  warnings: string[]
}

export async function loadContextInputs(inputs: readonly string[], model?: string): Promise<LoadedContext> {
  if (inputs.length === 0) return { context: undefined, warnings: [] }
  const { loadContext } = await import('@rlm/context')
  const options = model ? { model: model.slice(model.indexOf(':') + 1) } : {}
  const stdin = inputs.filter((p) => p === '-').length
  if (stdin > 1) throw usageError('--context - (stdin) can be given only once.')
  let context: Context
  if (stdin === 1 && inputs.length === 1) {
    if (process.stdin.isTTY) {
      throw usageError(
        '--context - reads stdin, but stdin is a terminal: pipe text in, e.g. `cat notes.txt | rlm run "..." --context -`.',
      )
    }
    context = await loadContext({ stdin: true, name: 'stdin' }, options)
  } else if (stdin === 1) {
    // Mixed: read stdin as one more named document next to the files.
    const files = await loadContext({ paths: inputs.filter((p) => p !== '-') }, options)
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    const documents = files.documents.map((d) => ({ name: d.name, text: files.slice(d.start, d.end) }))
    documents.push({ name: 'stdin', text: Buffer.concat(chunks).toString('utf8') })
    context = await loadContext({ documents }, options)
  } else {
    context = await loadContext(
      inputs.length === 1 ? { path: inputs[0] as string } : { paths: [...inputs] },
      options,
    )
  }
  return { context, warnings: context.warnings.map((w) => `${w.code}: ${w.message}`) }
}
