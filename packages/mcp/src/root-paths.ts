// The roots fence: a path argument is read only when its real path (every symlink resolved) lies
// inside one of the roots' real paths. Relative paths are tried against each root in turn. What a
// folder holds is then walked by @rlm/context, which skips symlinks leading out of the folder.

import { realpathSync, statSync } from 'node:fs'
import { lstat, realpath, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RlmError } from '@rlm/errors'

/** The code of a path refused because it is outside the roots (or there are none). */
export const OUTSIDE_ROOTS = 'E_OUTSIDE_ROOTS'

export interface RootSet {
  /** Real paths of the root folders. */
  dirs: readonly string[]
  /** Who chose them: the server's own list, the client's MCP roots, or nobody. */
  origin: 'server' | 'client' | 'none'
}

/** True when `path` is `dir` or inside it (both real, absolute paths). */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

/** The server's own roots as real paths; a missing one or a file is a startup error. */
export function serverRootDirs(dirs: readonly string[]): string[] {
  return dirs.map((dir) => {
    let real: string
    try {
      real = realpathSync(resolve(dir))
    } catch (cause) {
      throw new RlmError(
        'E_USAGE',
        `The root ${dir} does not exist (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}): give an existing folder as a root.`,
        { cause },
      )
    }
    if (!statSync(real).isDirectory()) {
      throw new RlmError('E_USAGE', `The root ${dir} is not a folder: give the folder that holds it.`)
    }
    return real
  })
}

function rootsText(roots: RootSet): string {
  return roots.dirs.join(', ')
}

function noRoots(requested: string): RlmError {
  return new RlmError(
    OUTSIDE_ROOTS,
    `This server has no roots, so it reads no files (asked for "${requested}"). Start it with --root <folder> (e.g. \`rlm mcp --root .\`) or from a client that shares its workspace folders as MCP roots; rlm_ask also takes the text itself in \`text\`.`,
    { details: { path: requested } },
  )
}

/** Where a relative path exists under the roots (the first root that has it), else under the first. */
async function candidate(requested: string, roots: RootSet): Promise<string> {
  const path = requested.startsWith('file://') ? fileURLToPath(requested) : requested
  if (isAbsolute(path)) return resolve(path)
  for (const dir of roots.dirs) {
    const joined = join(dir, path)
    if (
      await lstat(joined).then(
        () => true,
        () => false,
      )
    )
      return joined
  }
  return join(roots.dirs[0] as string, path)
}

/**
 * The real path of `requested` when it is a file or folder inside the roots; otherwise
 * E_OUTSIDE_ROOTS, E_CONTEXT_NOT_FOUND or E_CONTEXT_INPUT with what to do instead.
 */
export async function resolveInRoots(requested: string, roots: RootSet): Promise<string> {
  if (roots.dirs.length === 0) throw noRoots(requested)
  const path = await candidate(requested, roots)
  let real: string
  try {
    real = await realpath(path)
  } catch (cause) {
    throw new RlmError(
      'E_CONTEXT_NOT_FOUND',
      `"${requested}" was not found in this server's roots (${rootsText(roots)}). Relative paths are tried against each root; check the path (context_describe on a root lists its files).`,
      { cause, details: { path: requested } },
    )
  }
  if (!roots.dirs.some((dir) => isInside(dir, real))) {
    const through = roots.dirs.some((dir) => isInside(dir, path))
    throw new RlmError(
      OUTSIDE_ROOTS,
      `"${requested}" is outside this server's roots (${rootsText(roots)})${through ? ': a symlink in it leads out' : ''}. Only files and folders inside the roots can be read; ask about those, or have the server started with another --root.`,
      { details: { path: requested } },
    )
  }
  const st = await stat(real)
  if (!st.isFile() && !st.isDirectory()) {
    throw new RlmError(
      'E_CONTEXT_INPUT',
      `"${requested}" is not a regular file or a folder (a FIFO, socket or device); rlm's MCP server reads only files and folders.`,
      { details: { path: requested } },
    )
  }
  return real
}
