// Turns what the caller passes as `context` (a string, documents, or an already loaded
// @rlm/context object) into the ContextSource the engine reads.

import { RlmError } from '@rlm/errors'
import type { ContextSource } from './context-source.ts'

type LoadContext = (input: unknown, options?: unknown) => Promise<ContextSource>

interface ContextModule {
  loadContext: LoadContext
  /** Absent in older @rlm/context versions. */
  prewarmTaskWorker?: () => void
}

let contextModule: Promise<ContextModule> | undefined
function contextPackage(): Promise<ContextModule> {
  contextModule ??= import('@rlm/context') as unknown as Promise<ContextModule>
  return contextModule
}
function loader(): Promise<LoadContext> {
  return contextPackage().then((m) => m.loadContext)
}

/** Starts @rlm/context's search worker, so the guest's first search() does not wait for it. */
export function prewarmContextWorker(): void {
  contextPackage().then(
    (m) => m.prewarmTaskWorker?.(),
    () => {},
  )
}

export function loadTextContext(text: string): Promise<ContextSource> {
  return loader().then((load) => load({ text }))
}

export function isContextSource(value: unknown): value is ContextSource {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v.length === 'number' && typeof v.slice === 'function' && typeof v.search === 'function'
}

export type ContextInput = string | ContextSource | { documents: Array<{ name: string; text: string }> }

export async function resolveContext(input: ContextInput | undefined): Promise<ContextSource> {
  if (input === undefined || typeof input === 'string') return loadTextContext(input ?? '')
  if (isContextSource(input)) return input
  if (
    typeof input === 'object' &&
    input !== null &&
    Array.isArray((input as { documents?: unknown }).documents)
  ) {
    return loader().then((load) => load(input))
  }
  throw new RlmError(
    'E_CONFIG',
    'run({ context }): expected a string, { documents: [{ name, text }] }, or a context from loadContext() of @rlm/context.',
  )
}
