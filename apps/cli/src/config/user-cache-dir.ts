// The response cache's default home: $XDG_CACHE_HOME/rlm, else ~/.cache/rlm. Never the working
// directory: a cloned repository could ship cache files there, and the cache would serve them.

import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'

export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME
  // The XDG spec ignores a relative XDG_CACHE_HOME.
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.cache')
  return join(base, 'rlm')
}
