// Resolves file paths a tool caller (an agent, maybe prompt-injected) asks for, only under the
// roots the application allowed: no roots means no paths, no '..', no symlink out of a root.
import { readFile, realpath, stat } from 'node:fs/promises'
import { isAbsolute, relative, resolve } from 'node:path'
import { RlmError } from '@rlm/errors'

export interface RootedFile {
  name: string
  text: string
}

function forbidden(path: string, why: string): RlmError {
  return new RlmError('E_FORBIDDEN', `Refused to read '${path}': ${why}`, { details: { path } })
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

/** Where `path` lives: the root it is under and its real location, checked after symlinks. */
async function locate(path: string, roots: readonly string[]): Promise<{ root: string; real: string }> {
  if (roots.length === 0) throw forbidden(path, 'this tool was created without roots, so it reads no files.')
  if (path.includes('\0') || path.split(/[\\/]/).includes('..')) {
    throw forbidden(path, "paths may not contain '..'.")
  }
  const candidates = isAbsolute(path)
    ? roots.filter((root) => inside(root, resolve(path))).map((root) => ({ root, full: resolve(path) }))
    : roots.map((root) => ({ root, full: resolve(root, path) }))
  if (candidates.length === 0) throw forbidden(path, `it is outside the allowed roots (${roots.join(', ')}).`)
  const found = await Promise.all(candidates.map(async (c) => ((await exists(c.full)) ? c : undefined)))
  const hit = found.find((c) => c !== undefined)
  if (!hit) {
    throw new RlmError(
      'E_CONTEXT_NOT_FOUND',
      `No file '${path}' under the allowed roots (${roots.join(', ')}).`,
      {
        details: { path },
      },
    )
  }
  const [realRoot, real] = await Promise.all([realpath(hit.root), realpath(hit.full)])
  if (!inside(realRoot, real)) throw forbidden(path, 'it is a symlink to a place outside its root.')
  return { root: hit.root, real }
}

export async function readRootedFiles(
  paths: readonly string[],
  roots: readonly string[],
  maxBytes: number,
): Promise<RootedFile[]> {
  const located = await Promise.all(paths.map((path) => locate(path, roots)))
  let total = 0
  for (const [i, { real }] of located.entries()) {
    const info = await stat(real)
    if (!info.isFile()) throw forbidden(paths[i] as string, 'only regular files can be read.')
    total += info.size
    if (total > maxBytes) {
      throw new RlmError(
        'E_CONTEXT_TOO_LARGE',
        `The files asked for exceed ${maxBytes} bytes; ask for fewer files.`,
        {
          details: { paths, maxBytes },
        },
      )
    }
  }
  return Promise.all(
    located.map(async ({ root, real }, i) => ({
      name: relative(root, real) || (paths[i] as string),
      text: await readFile(real, 'utf8'),
    })),
  )
}
