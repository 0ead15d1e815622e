// `rlm config`: the resolved settings as JSON on stdout, secrets masked, with each value's source
// (default, user, file, env, flag), the files read and what the trust rule left out.

import { maskSecrets } from '../config/mask-secrets.ts'
import { resolveConfig } from '../config/resolve-config.ts'
import { warnRefused } from '../run/command-options.ts'

export default async function configCommand(opts: Record<string, unknown>): Promise<number> {
  const { config, sources, file, userFile, refused } = resolveConfig({
    configPath: opts.config as string | undefined,
    trustConfig: Boolean(opts.trustConfig),
  })
  warnRefused(refused)
  const doc = {
    config: maskSecrets(config),
    sources,
    file: file ?? null,
    userFile: userFile ?? null,
    refused: refused.map(({ file, key }) => ({ file, key })),
  }
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`)
  return 0
}
