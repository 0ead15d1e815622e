// Where a run's trace goes: --trace <file>, nothing with --no-trace, else a fresh rlm-named file
// under <traceDir>/traces/. That directory is pruned first of rlm's traces older than
// traceRetentionDays (the engine is imported here, just before the run needs it anyway).

import { join, resolve } from 'node:path'
import type { CliConfig } from '../config/config-schema.ts'

export async function prepareTrace(
  opts: Record<string, unknown>,
  config: Pick<CliConfig, 'traceDir' | 'traceRetentionDays'>,
  prefix: 'run' | 'demo',
): Promise<string | false> {
  const { pruneTraces, traceFileName } = await import('@rlm/engine')
  const dir = resolve(config.traceDir, 'traces')
  pruneTraces(dir, config.traceRetentionDays)
  if (opts.trace === false) return false
  return typeof opts.trace === 'string' ? resolve(opts.trace) : join(dir, traceFileName(prefix))
}
