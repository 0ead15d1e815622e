// Writes a whole file or nothing: a temp file in the same directory, then a rename. What rlm
// writes (viewer pages, eval reports) holds prompts and answers, so it is private like the traces:
// the file 0600, folders it creates 0700.

import { randomBytes } from 'node:crypto'
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  // An unguessable name created exclusively ('wx' never follows a planted symlink or reuses a file).
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  try {
    writeFileSync(tmp, content, { mode: 0o600, flag: 'wx' })
    renameSync(tmp, path)
  } catch (err) {
    // Only a file this call made: with 'wx' failing, tmp may be someone else's.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(tmp, { force: true })
    throw err
  }
}
