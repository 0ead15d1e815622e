// `rlm config`: the resolved settings as JSON on stdout, secrets masked, with each value's source.

import { maskSecrets } from '../config/mask-secrets.ts'
import { resolveConfig } from '../config/resolve-config.ts'

export default async function configCommand(opts: Record<string, unknown>): Promise<number> {
  const { config, sources, file } = resolveConfig({ configPath: opts.config as string | undefined })
  const doc = { config: maskSecrets(config), sources, file: file ?? null }
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`)
  return 0
}
