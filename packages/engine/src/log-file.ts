// A log file rotated by size: `rlm.log` grows to maxBytes, then becomes `rlm.log.1` (the older
// ones shift to .2 ... .maxFiles, the oldest is deleted) and a new `rlm.log` starts. Writes are
// synchronous: log lines are few (run start/end, errors) unless a user asks for trace, and a line
// written just before process.exit() must not be lost. (pino-roll does this too, but pulls in
// date-fns for the time-based rotation we do not use.)

import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { RlmError } from '@rlm/errors'

export interface LogFileOptions {
  maxBytes: number
  maxFiles: number
}

export interface LogFile {
  write(line: string): void
}

export function openLogFile(path: string, options: LogFileOptions): LogFile {
  if (!(options.maxBytes > 0) || !Number.isInteger(options.maxFiles) || options.maxFiles < 0) {
    throw new RlmError(
      'E_CONFIG',
      `Log file rotation needs maxFileBytes > 0 and a whole maxFiles >= 0 (got ${options.maxBytes} and ${options.maxFiles}).`,
    )
  }
  let fd = open(path)
  let size = fstatSync(fd).size
  const rotate = (): void => {
    closeSync(fd)
    rmSync(`${path}.${options.maxFiles}`, { force: true })
    for (let i = options.maxFiles - 1; i >= 1; i--) renameIfThere(`${path}.${i}`, `${path}.${i + 1}`)
    if (options.maxFiles > 0) renameSync(path, `${path}.1`)
    else rmSync(path, { force: true })
    fd = open(path)
    size = 0
  }
  return {
    write(line) {
      const bytes = Buffer.byteLength(line)
      if (size > 0 && size + bytes > options.maxBytes) rotate()
      writeSync(fd, line)
      size += bytes
    },
  }
}

function open(path: string): number {
  try {
    mkdirSync(dirname(path), { recursive: true })
    // 0600: lines hold queries and file names, like traces.
    return openSync(path, 'a', 0o600)
  } catch (cause) {
    throw new RlmError(
      'E_CONFIG',
      `Cannot open the log file ${path} (${(cause as Error).message}); choose a path in a folder you can write.`,
      { cause },
    )
  }
}

function renameIfThere(from: string, to: string): void {
  try {
    renameSync(from, to)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
}
