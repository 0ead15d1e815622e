// Turns what the caller passes as `context` (a string, documents, or an already loaded
// @rlm/context object) into the ContextSource the engine reads.

import { RlmError } from '@rlm/errors'
import { type ContextSource, rememberLoadedText } from './context-source.ts'

type LoadContext = typeof import('@rlm/context').loadContext

type ContextModule = typeof import('@rlm/context')

let contextModule: Promise<ContextModule> | undefined
function contextPackage(): Promise<ContextModule> {
  contextModule ??= import('@rlm/context')
  return contextModule
}
function loader(): Promise<LoadContext> {
  return contextPackage().then((m) => m.loadContext)
}

/** Starts @rlm/context's search worker, so the guest's first search() does not wait for it. */
export function prewarmContextWorker(): void {
  contextPackage().then(
    (m) => m.prewarmTaskWorker(),
    () => {},
  )
}

export function loadTextContext(text: string): Promise<ContextSource> {
  return loader().then(async (load) => {
    const ctx = await load({ text })
    rememberLoadedText(ctx, text)
    return ctx
  })
}

/** The functions a ContextSource has; `length` and `documents` are checked beside them. */
const SOURCE_METHODS = [
  'slice',
  'lines',
  'search',
  'execRegExp',
  'chunk',
  'describe',
  'estimateTokens',
] as const

/** What an object passed as a context source lacks of ContextSource (empty when nothing). */
function missingFromSource(source: object): string[] {
  const missing = SOURCE_METHODS.filter((k) => typeof Reflect.get(source, k) !== 'function').map(
    (k) => `${k}()`,
  )
  if (typeof Reflect.get(source, 'length') !== 'number') missing.unshift('length')
  if (!Array.isArray(Reflect.get(source, 'documents'))) missing.push('documents')
  return missing
}

export type ContextInput = string | ContextSource | { documents: Array<{ name: string; text: string }> }

export async function resolveContext(input: ContextInput | undefined): Promise<ContextSource> {
  if (input === undefined || typeof input === 'string') return loadTextContext(input ?? '')
  if (typeof input === 'object' && input !== null) {
    if ('slice' in input) {
      // A context source: a Context of @rlm/context or the caller's own, checked whole here so a
      // missing method fails the run before it starts instead of in the middle of a cell.
      const missing = missingFromSource(input)
      if (missing.length === 0) return input
      throw new RlmError(
        'E_CONFIG',
        `run({ context }): the context source has no ${missing.join(', ')}; a custom source implements ContextSource of @rlm/context (length, documents, slice, lines, search, execRegExp, chunk, describe, estimateTokens).`,
      )
    }
    if (Array.isArray(input.documents)) return loader().then((load) => load(input))
  }
  throw new RlmError(
    'E_CONFIG',
    'run({ context }): expected a string, { documents: [{ name, text }] }, or a context source (a Context from loadContext() of @rlm/context, or your own ContextSource).',
  )
}
