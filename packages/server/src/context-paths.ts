// Files a client names as context (`context_paths`) resolve only inside the server's context roots:
// no `..` segment, no absolute path outside a root, and no symlink whose target leaves the root.
// Each path is checked lexically first, then by its real path, so nothing outside a root is ever
// opened, and the real path (not the name the client sent) is what gets loaded.

import { realpathSync } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { RlmError } from '@rlm/errors'
import { ApiError } from './api-error.ts'

export interface ContextRoot {
  /** As configured (resolved to an absolute path). */
  path: string
  /** Its real path: what resolved paths are checked against. */
  real: string
}

/** Resolves the configured roots once, at start-up; a root that does not exist is E_CONFIG. */
export function openContextRoots(roots: readonly string[]): ContextRoot[] {
  return roots.map((root) => {
    const path = resolve(root)
    try {
      return { path, real: realpathSync(path) }
    } catch (cause) {
      throw new RlmError(
        'E_CONFIG',
        `The context root ${path} does not exist or cannot be read; pass an existing directory to --context-root.`,
        { cause },
      )
    }
  })
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

const refuse = (param: string, why: string): ApiError =>
  new ApiError(400, 'E_CONFIG', `${param}: ${why}`, { param })

/** The real paths to load for the client's `context_paths`; a 400 names the first one refused. */
export async function resolveContextPaths(
  paths: readonly string[],
  roots: readonly ContextRoot[],
  field = 'context_paths',
): Promise<string[]> {
  if (paths.length === 0) return []
  if (roots.length === 0) {
    throw refuse(
      field,
      'this server loads no files: send the text in the request instead, or start the server with --context-root DIR.',
    )
  }
  const resolved: string[] = []
  for (const [i, p] of paths.entries()) resolved.push(await resolveOne(p, roots, `${field}[${i}]`))
  return resolved
}

async function resolveOne(p: string, roots: readonly ContextRoot[], param: string): Promise<string> {
  const shown = JSON.stringify(p)
  if (p.includes('\0')) throw refuse(param, `${shown} contains a NUL character.`)
  if (p.split(/[\\/]/).includes('..'))
    throw refuse(param, `${shown} may not contain a ".." segment; name a path inside the context root.`)
  const candidates = isAbsolute(p)
    ? roots.filter((r) => inside(r.path, p) || inside(r.real, p)).map((r) => ({ root: r, path: p }))
    : roots.map((r) => ({ root: r, path: join(r.path, p) }))
  if (candidates.length === 0)
    throw refuse(
      param,
      `${shown} is an absolute path outside every context root; send a path relative to the root.`,
    )
  for (const c of candidates) {
    let real: string
    try {
      real = await realpath(c.path)
    } catch {
      continue
    }
    if (!inside(c.root.real, real))
      throw refuse(
        param,
        `${shown} resolves outside the context root (a symlink leaves it); it is not served.`,
      )
    // A FIFO or device would block the run's start; only files and folders are context.
    const s = await stat(real)
    if (!s.isFile() && !s.isDirectory()) throw refuse(param, `${shown} is not a regular file or a directory.`)
    return real
  }
  throw new ApiError(
    400,
    'E_CONTEXT_NOT_FOUND',
    `${param}: ${shown} does not exist under the context root${roots.length > 1 ? 's' : ''}; list the files there and send a path relative to the root.`,
    { param },
  )
}
