// Lists a directory's files recursively in a stable order, leaving out what IgnoreChain ignores.
// Only regular files are listed: FIFOs, sockets and devices are skipped with a warning (reading
// one could hang or never end), and so are file symlinks that resolve outside the walked folder
// unless the caller opts in. Directory symlinks are never followed (no cycles).
import { opendir, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import type { ContextWarning } from './context-errors.ts'
import { IgnoreChain } from './ignore-rules.ts'

export interface WalkedFile {
  /** Absolute path. */
  path: string
  /** Path relative to the walked directory, with "/" separators. */
  relative: string
  size: number
}

export interface WalkOptions {
  ignore: readonly string[]
  defaultIgnores: boolean
  followSymlinks: boolean
}

interface Walk {
  root: string
  /** The root's real path: symlink targets are checked against it. */
  realRoot: string
  options: WalkOptions
  files: WalkedFile[]
  warnings: ContextWarning[]
}

export async function walkDirectory(
  root: string,
  options: WalkOptions,
): Promise<{ files: WalkedFile[]; warnings: ContextWarning[] }> {
  const w: Walk = { root, realRoot: await realpath(root), options, files: [], warnings: [] }
  const chain = await IgnoreChain.forRoot(root, options.ignore, options.defaultIgnores)
  await walk(w, '', chain)
  return { files: w.files, warnings: w.warnings }
}

type Kind = 'dir' | 'file' | 'link' | 'special'

async function walk(w: Walk, rel: string, parent: IgnoreChain): Promise<void> {
  const dir = path.join(w.root, rel)
  const chain = await parent.enter(dir, rel)
  const entries: Array<{ name: string; kind: Kind }> = []
  for await (const e of await opendir(dir)) {
    const kind: Kind = e.isDirectory() ? 'dir' : e.isFile() ? 'file' : e.isSymbolicLink() ? 'link' : 'special'
    entries.push({ name: e.name, kind })
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const e of entries) {
    const childRel = rel === '' ? e.name : `${rel}/${e.name}`
    if (chain.ignores(childRel, e.kind === 'dir')) continue
    const abs = path.join(w.root, childRel)
    if (e.kind === 'dir') await walk(w, childRel, chain)
    else if (e.kind === 'file') w.files.push({ path: abs, relative: childRel, size: (await stat(abs)).size })
    else if (e.kind === 'special') skipSpecial(w, childRel)
    else await symlink(w, abs, childRel)
  }
}

async function symlink(w: Walk, abs: string, rel: string): Promise<void> {
  const s = await stat(abs).catch(() => null)
  // Dangling links and links to directories are left out, as before.
  if (!s || s.isDirectory()) return
  if (!s.isFile()) return skipSpecial(w, rel)
  if (!w.options.followSymlinks) {
    const target = await realpath(abs)
    const inside = path.relative(w.realRoot, target)
    if (inside.startsWith('..') || path.isAbsolute(inside)) {
      w.warnings.push({
        code: 'W_SYMLINK_OUTSIDE_SKIPPED',
        message: `Skipped ${rel}: a symlink to ${target}, outside the loaded folder; pass followSymlinks: true (rlm: --follow-symlinks) to include it.`,
        path: rel,
      })
      return
    }
  }
  w.files.push({ path: abs, relative: rel, size: s.size })
}

function skipSpecial(w: Walk, rel: string): void {
  w.warnings.push({
    code: 'W_SPECIAL_FILE_SKIPPED',
    message: `Skipped ${rel}: not a regular file (a FIFO, socket or device); name it on its own to read it.`,
    path: rel,
  })
}
