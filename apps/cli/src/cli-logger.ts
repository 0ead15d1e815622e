// The command's logger, from --log-level / RLM_LOG_LEVEL / logLevel and --log-file / RLM_LOG_FILE:
// JSON lines in the (rotated) file when there is one, else human lines on stderr when a level was
// asked for, else none. Made on demand (pino loads only then) and kept for the top-level error
// handler, which logs internal errors through it.

import type { RlmLogger } from '@rlm/engine'
import type { CliConfig } from './config/config-schema.ts'

let opened: { key: string; logger: Promise<RlmLogger> } | undefined

/** The logger the settings ask for, or undefined when they ask for none. */
export function openCliLogger(
  config: Pick<CliConfig, 'logLevel' | 'logFile'>,
): Promise<RlmLogger> | undefined {
  const { logLevel, logFile } = config
  if (logFile === undefined && (logLevel === undefined || logLevel === 'silent')) return undefined
  const key = `${logLevel}\u0000${logFile}`
  if (opened?.key !== key) {
    const logger = import('@rlm/engine').then(({ createLogger }) =>
      createLogger(
        logFile !== undefined
          ? { level: logLevel ?? 'info', file: logFile }
          : { level: logLevel ?? 'info', stderr: 'human' },
      ),
    )
    opened = { key, logger }
  }
  return opened.logger
}

/** The logger a command opened, if any (for diagnostics after the command failed). */
export function openedCliLogger(): Promise<RlmLogger> | undefined {
  return opened?.logger
}
