// Which paths a directory walk leaves out: the default build and dependency folders, the caller's
// patterns, and every .gitignore from the repository root (the nearest ancestor holding `.git`)
// down to the walked folder and below it, with git's semantics (the `ignore` package).
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import ignore, { type Ignore } from 'ignore'

/** Folders a directory walk skips unless `defaultIgnores: false`: VCS data, dependencies, build output. */
export const DEFAULT_IGNORES: readonly string[] = [
  '.git',
  'node_modules',
  'dist',
  'build',
  'out',
  'coverage',
  '.next',
  '.turbo',
  'target',
  '__pycache__',
]

/** One ignore file's rules, and how a path relative to the walked root reads from its folder. */
interface Rules {
  ig: Ignore
  /** From the rules' folder to the walked root ('' when the same; 'a/b' for an ancestor). */
  prefix: string
  /** From the walked root to the rules' folder ('' for the root and its ancestors). */
  base: string
}

export class IgnoreChain {
  readonly #rules: readonly Rules[]

  private constructor(rules: readonly Rules[]) {
    this.#rules = rules
  }

  /**
   * The rules that apply at the walked root: defaults and extra patterns, then the .gitignore
   * files of its ancestors up to the repository root. An ancestor's rule that would ignore the
   * root itself is dropped: the caller named that folder, so they want it.
   */
  static async forRoot(root: string, patterns: readonly string[], defaults: boolean): Promise<IgnoreChain> {
    const rules: Rules[] = [
      { ig: ignore().add([...(defaults ? DEFAULT_IGNORES : []), ...patterns]), prefix: '', base: '' },
    ]
    const abs = path.resolve(root)
    const repo = await repositoryRoot(abs)
    if (repo !== undefined && repo !== abs) {
      for (let dir = path.dirname(abs); ; dir = path.dirname(dir)) {
        const text = await readGitignore(dir)
        const prefix = path.relative(dir, abs).split(path.sep).join('/')
        if (text !== null) {
          const ig = ignore().add(text)
          if (!ig.ignores(`${prefix}/`)) rules.push({ ig, prefix, base: '' })
        }
        if (dir === repo) break
      }
    }
    return new IgnoreChain(rules)
  }

  /** The chain for a folder inside the walk (`rel` from the root), adding its own .gitignore. */
  async enter(dir: string, rel: string): Promise<IgnoreChain> {
    const text = await readGitignore(dir)
    return text === null
      ? this
      : new IgnoreChain([...this.#rules, { ig: ignore().add(text), prefix: '', base: rel }])
  }

  ignores(rel: string, isDir: boolean): boolean {
    for (const r of this.#rules) {
      const own = r.base === '' ? rel : rel.slice(r.base.length + 1)
      const p = r.prefix === '' ? own : `${r.prefix}/${own}`
      if (r.ig.ignores(isDir ? `${p}/` : p)) return true
    }
    return false
  }
}

function readGitignore(dir: string): Promise<string | null> {
  return readFile(path.join(dir, '.gitignore'), 'utf8').catch(() => null)
}

/** The nearest folder at or above `dir` holding `.git` (a folder, or a file in a worktree). */
async function repositoryRoot(dir: string): Promise<string | undefined> {
  for (let d = dir; ; d = path.dirname(d)) {
    if (
      await stat(path.join(d, '.git')).then(
        () => true,
        () => false,
      )
    )
      return d
    if (path.dirname(d) === d) return undefined
  }
}
