// Loads what a tool call names — files and folders inside the roots, and for rlm_ask text passed
// inline — into one @rlm/context Context. Each path is fenced by resolveInRoots first; folders are
// walked with .gitignore and the default ignores, and symlinks leading out of them are skipped.

import type { Context, LoadOptions } from '@rlm/context'
import { type RootSet, resolveInRoots } from './root-paths.ts'

/** How folders are read: what to leave out and how much to read. */
export type PathLoadOptions = Pick<LoadOptions, 'ignore' | 'defaultIgnores' | 'maxBytes' | 'maxFileSize'>

export interface ContextRequest {
  paths?: readonly string[] | undefined
  /** Text given inline: one more document, named "text". */
  text?: string | undefined
}

/** The real paths of `paths`, each checked against the roots (in order, duplicates dropped). */
export async function fencedPaths(
  paths: readonly string[],
  roots: () => Promise<RootSet>,
): Promise<string[]> {
  const set = await roots()
  const real: string[] = []
  for (const p of paths) real.push(await resolveInRoots(p, set))
  return [...new Set(real)]
}

export async function loadRequestedContext(
  request: ContextRequest,
  roots: () => Promise<RootSet>,
  load: PathLoadOptions,
): Promise<Context> {
  // Imported on first use: the handshake of a server that only lists its tools stays fast.
  const { loadContext } = await import('@rlm/context')
  const options: LoadOptions = { ...load, followSymlinks: false }
  const paths = request.paths ?? []
  if (paths.length === 0)
    return loadContext({ documents: [{ name: 'text', text: request.text ?? '' }] }, options)
  const real = await fencedPaths(paths, roots)
  const context = await loadContext({ paths: real }, options)
  if (request.text === undefined) return context
  const documents = context.documents.map((d) => ({ name: d.name, text: context.slice(d.start, d.end) }))
  documents.push({ name: 'text', text: request.text })
  return loadContext({ documents }, options)
}
