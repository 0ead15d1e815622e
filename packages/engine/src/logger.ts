// The one logger: the pino-compatible shape the engine writes to (a library user brings their own
// pino, or anything with the same five methods), and createLogger, rlm's own pino set-up with JSON
// lines in a size-rotated file and/or human lines on stderr. Every line passes secret redaction
// twice: its arguments (errors included) before pino sees them, the finished line before it is
// written.

import { secretRedactor } from '@rlm/errors'
import type { DestinationStream, Logger, LoggerOptions as PinoOptions } from 'pino'
import { openLogFile } from './log-file.ts'
import { humanLogStream } from './log-line-human.ts'
import { redactLogArgs } from './log-redaction.ts'
import type { LogLevel } from './setting-schemas.ts'

/** One log method, called as pino's are: `(fields, message)`, `(error, message)` or `(message)`. */
export type LogFn = (objOrMessage: unknown, message?: string) => void

/**
 * What the engine logs to: a pino logger fits as is. `isLevelEnabled` (pino has it) lets the engine
 * skip building lines nobody reads.
 */
export interface RlmLogger {
  error: LogFn
  warn: LogFn
  info: LogFn
  debug: LogFn
  trace: LogFn
  isLevelEnabled?(level: string): boolean
}

export interface CreateLoggerOptions {
  level: LogLevel
  /** JSON lines to this file, rotated by size. */
  file?: string | undefined
  /** Rotate the file when it would pass this many bytes (default 10 MiB). */
  maxFileBytes?: number | undefined
  /** Rotated files kept beside the live one: file.1 (newest) ... file.N (default 5). */
  maxFiles?: number | undefined
  /** Also write to stderr: 'human' lines, 'json' lines, or nothing (default: nothing). */
  stderr?: 'human' | 'json' | false | undefined
}

/** A logger that drops everything (level 'silent'). */
export const silentLogger: RlmLogger = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  trace: () => {},
  isLevelEnabled: () => false,
}

const LEVEL_RANK: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4, trace: 5 }

/** True when a logger set to `threshold` shows lines of `level`. */
export function levelShows(threshold: LogLevel, level: Exclude<LogLevel, 'silent'>): boolean {
  return LEVEL_RANK[level] <= LEVEL_RANK[threshold]
}

/**
 * rlm's pino logger: JSON lines to `file` (rotated at `maxFileBytes`, `maxFiles` kept) and/or
 * lines on stderr. Async because pino is loaded only when something is logged. The file's
 * writes are synchronous, so nothing is lost when the process exits right after a line.
 */
export async function createLogger(options: CreateLoggerOptions): Promise<Logger & RlmLogger> {
  const { pino } = await import('pino')
  const streams: DestinationStream[] = []
  if (options.file) {
    streams.push(
      openLogFile(options.file, {
        maxBytes: options.maxFileBytes ?? 10 * 2 ** 20,
        maxFiles: options.maxFiles ?? 5,
      }),
    )
  }
  if (options.stderr === 'human') streams.push(humanLogStream(process.stderr))
  if (options.stderr === 'json') streams.push({ write: (line) => process.stderr.write(line) })
  const redact = secretRedactor()
  const pinoOptions: PinoOptions = {
    name: 'rlm',
    level: options.level,
    hooks: {
      logMethod(args, method) {
        method.apply(this, redactLogArgs(args, redact) as Parameters<typeof method>)
      },
      // The catch-all: whatever reached the line some other way (a child logger's bindings).
      streamWrite: (line) => redact(line),
    },
  }
  const out: DestinationStream =
    streams.length === 1
      ? (streams[0] as DestinationStream)
      : {
          write(line) {
            for (const s of streams) s.write(line)
          },
        }
  return pino(pinoOptions, out)
}
