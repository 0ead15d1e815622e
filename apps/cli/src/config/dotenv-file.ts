// Loads .env from the working directory into process.env, under the trust rule: variables already
// set win, and those that would choose a server or load code are left out (and named) unless the
// user passed --trust-config. Never writes a refused value anywhere the providers would read it.

import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseEnv } from 'node:util'
import { dotenvRefusal, type RefusedSetting } from './project-trust.ts'

export interface DotEnvLoad {
  file: string | undefined
  loaded: string[]
  refused: RefusedSetting[]
  /** Set when the file exists but could not be read or parsed. */
  problem?: string
}

export function loadDotEnv(
  cwd: string,
  options: { trust: boolean; env?: NodeJS.ProcessEnv } = { trust: false },
): DotEnvLoad {
  const env = options.env ?? process.env
  const file = resolve(cwd, '.env')
  if (!existsSync(file)) return { file: undefined, loaded: [], refused: [] }
  let vars: Record<string, string>
  try {
    vars = parseEnv(readFileSync(file, 'utf8')) as Record<string, string>
  } catch (err) {
    return { file, loaded: [], refused: [], problem: (err as Error).message }
  }
  const loaded: string[] = []
  const refused: RefusedSetting[] = []
  for (const [name, value] of Object.entries(vars)) {
    // Variables already in the environment win over the file.
    if (env[name] !== undefined) continue
    const reason = options.trust ? undefined : dotenvRefusal(name, value)
    if (reason) {
      refused.push({ file, key: name, reason })
      continue
    }
    env[name] = value
    loaded.push(name)
  }
  return { file, loaded, refused }
}
