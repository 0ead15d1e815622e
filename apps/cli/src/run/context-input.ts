// Loads what `--context` names — files, directories, or '-' for stdin — into one @rlm/context
// Context; with no --context, stdin when it is a pipe or a file (never a terminal, a socket or
// nothing). Skipped files are reported on stderr, and an empty named input is an error: the CLI
// never runs on input it silently dropped.

import { fstatSync } from 'node:fs'
import type { Context, LoadOptions } from '@rlm/context'
import { RlmError } from '@rlm/errors'
import { parseModelId } from '@rlm/providers/env'
import { usageError } from '../usage-error.ts'

export interface ContextRequest {
  /** The --context values, in order. */
  inputs: readonly string[]
  /** Root model id: picks the token encoding. */
  model?: string | undefined
  /** --ignore, --no-default-ignores, --follow-symlinks, --first-byte-timeout. */
  load: Pick<LoadOptions, 'ignore' | 'defaultIgnores' | 'followSymlinks' | 'firstByteTimeoutMs'>
  /** Stdin already carries the query (--query-file -): never read it as the context. */
  stdinIsQuery?: boolean
}

export interface LoadedContext {
  context: Context | undefined
  warnings: string[]
  /** Set when the context came from stdin without --context: the CLI says so on stderr. */
  implicitStdin?: 'a pipe' | 'a file'
}

/** What stdin is, by fstat: only a pipe or a regular file is worth reading unasked. */
export function stdinSource(): 'a pipe' | 'a file' | undefined {
  try {
    const s = fstatSync(0)
    return s.isFIFO() ? 'a pipe' : s.isFile() ? 'a file' : undefined
  } catch {
    return undefined // closed or invalid descriptor: there is nothing to read
  }
}

export async function loadContextInputs(request: ContextRequest): Promise<LoadedContext> {
  const { inputs } = request
  const stdinCount = inputs.filter((p) => p === '-').length
  if (stdinCount > 1) throw usageError('--context - (stdin) can be given only once.')
  if (stdinCount === 1 && request.stdinIsQuery) {
    throw usageError('--context - and --query-file - both read stdin: give one of them a file.')
  }
  let implicitStdin: LoadedContext['implicitStdin']
  if (inputs.length === 0) {
    implicitStdin = request.stdinIsQuery ? undefined : stdinSource()
    if (!implicitStdin) return { context: undefined, warnings: [] }
  } else if (stdinCount === 1 && process.stdin.isTTY) {
    throw usageError(
      '--context - reads stdin, but stdin is a terminal: pipe text in, e.g. `cat notes.txt | rlm run "..." --context -`.',
    )
  }
  const { loadContext } = await import('@rlm/context')
  const model = request.model
  const options: LoadOptions = {
    ...request.load,
    ...(model && { model: parseModelId(model).model }),
  }
  const files = inputs.filter((p) => p !== '-')
  let context: Context
  if (files.length === 0) {
    context = await loadContext({ stdin: true, name: 'stdin' }, options)
  } else {
    context = await loadContext(files.length === 1 ? { path: files[0] as string } : { paths: files }, options)
    if (stdinCount === 1) {
      // Mixed: stdin becomes one more named document after the files.
      const stdin = await loadContext({ stdin: true, name: 'stdin' }, options)
      const documents = context.documents.map((d) => ({ name: d.name, text: context.slice(d.start, d.end) }))
      documents.push({ name: 'stdin', text: stdin.text })
      context = await loadContext({ documents }, options)
    }
  }
  rejectEmpty(context, new Set(inputs.map((p) => (p === '-' ? 'stdin' : p))), implicitStdin)
  return {
    context,
    warnings: context.warnings.map((w) => `${w.code}: ${w.message}`),
    ...(implicitStdin && { implicitStdin }),
  }
}

/** The library accepts an empty text; on the command line an empty input is a mistake. */
function rejectEmpty(context: Context, named: ReadonlySet<string>, implicitStdin: string | undefined): void {
  if (implicitStdin && context.length === 0) {
    throw new RlmError(
      'E_CONTEXT_EMPTY',
      `The context is empty: stdin (${implicitStdin}) had no text, and rlm reads stdin as the context when no --context is given. Pipe text in, pass --context <file>, or run with </dev/null to run without a context.`,
    )
  }
  const empty = context.documents.filter((d) => d.start === d.end && named.has(d.name)).map((d) => d.name)
  if (empty.length > 0) {
    throw new RlmError(
      'E_CONTEXT_EMPTY',
      `The context is empty: ${empty.join(', ')} ${empty.length === 1 ? 'has' : 'have'} no text. Give --context a file with text (or leave out --context to run without one).`,
      { details: { empty } },
    )
  }
}
