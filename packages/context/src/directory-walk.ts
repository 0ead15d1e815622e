// Lists a directory's files recursively in a stable order, honouring .gitignore files on the
// way down and extra ignore patterns; directory symlinks are not followed (no cycles).
import { opendir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import ignore, { type Ignore } from 'ignore'

export interface WalkedFile {
  /** Absolute path. */
  path: string
  /** Path relative to the walked directory, with "/" separators. */
  relative: string
  size: number
}

interface Rules {
  base: string
  ig: Ignore
}

export async function walkDirectory(root: string, patterns: readonly string[]): Promise<WalkedFile[]> {
  const files: WalkedFile[] = []
  const rootRules: Rules = { base: '', ig: ignore().add(['.git/', ...patterns]) }
  await walk(root, '', [rootRules], files)
  return files
}

async function walk(root: string, rel: string, rules: Rules[], out: WalkedFile[]): Promise<void> {
  const dir = path.join(root, rel)
  const here = await gitignoreRules(dir, rel)
  const chain = here ? [...rules, here] : rules
  const entries: Array<{ name: string; isDir: boolean; isFile: boolean; isLink: boolean }> = []
  for await (const e of await opendir(dir)) {
    entries.push({ name: e.name, isDir: e.isDirectory(), isFile: e.isFile(), isLink: e.isSymbolicLink() })
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const e of entries) {
    const childRel = rel === '' ? e.name : `${rel}/${e.name}`
    const abs = path.join(root, childRel)
    let isDir = e.isDir
    let isFile = e.isFile
    let size = -1
    if (e.isLink) {
      const s = await stat(abs).catch(() => null)
      if (!s || s.isDirectory()) continue
      isFile = s.isFile()
      size = s.size
      isDir = false
    }
    if (ignored(chain, childRel, isDir)) continue
    if (isDir) {
      await walk(root, childRel, chain, out)
    } else if (isFile) {
      if (size < 0) size = (await stat(abs)).size
      out.push({ path: abs, relative: childRel, size })
    }
  }
}

function ignored(chain: readonly Rules[], rel: string, isDir: boolean): boolean {
  for (const r of chain) {
    const p = r.base === '' ? rel : rel.slice(r.base.length + 1)
    if (r.ig.ignores(isDir ? `${p}/` : p)) return true
  }
  return false
}

async function gitignoreRules(dir: string, rel: string): Promise<Rules | null> {
  const text = await readFile(path.join(dir, '.gitignore'), 'utf8').catch(() => null)
  return text === null ? null : { base: rel, ig: ignore().add(text) }
}
