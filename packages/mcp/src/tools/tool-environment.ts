// What every tool of one server shares: how folders are read.

import type { PathLoadOptions } from '../path-context.ts'

export interface ToolEnvironment {
  load: PathLoadOptions
}

/** The `paths` argument of every tool, described once. */
export const PATHS_DESCRIPTION =
  "Files or folders inside the server's roots: absolute, or relative to a root (tried against each root in turn). Folders are read recursively, honouring .gitignore and skipping node_modules, .git, dist, build and binary files."
