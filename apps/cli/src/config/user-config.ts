// The user's own config file: $XDG_CONFIG_HOME/rlm/config.json, else ~/.config/rlm/config.json.
// Trusted like flags (the user wrote it), below the project file in precedence.

import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'

export function userConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME
  // The XDG spec ignores a relative XDG_CONFIG_HOME.
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.config')
  return join(base, 'rlm', 'config.json')
}
