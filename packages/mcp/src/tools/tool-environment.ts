// What every tool of one server shares: where paths may come from and how folders are read.

import type { RootsSource } from '../client-roots.ts'
import type { PathLoadOptions } from '../path-context.ts'

export interface ToolEnvironment {
  roots: RootsSource
  load: PathLoadOptions
}

/** The `paths` argument of every tool, described once. */
export const PATHS_DESCRIPTION =
  "Files or folders inside the server's roots: absolute, or relative to a root (tried against each root in turn). Folders are read recursively, honouring .gitignore and skipping node_modules, .git, dist, build and binary files."
