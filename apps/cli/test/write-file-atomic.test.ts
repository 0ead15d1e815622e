// The writer behind `rlm view -o`, demo pages and eval reports: private modes, never through a link.
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeFileAtomic } from '../src/write-file-atomic.ts'

describe('writeFileAtomic', () => {
  it('replaces a symlink planted at the destination instead of writing through it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlm-atomic-'))
    const victim = join(dir, 'victim.txt')
    writeFileSync(victim, 'keep me', { mode: 0o644 })
    const out = join(dir, 'page.html')
    symlinkSync(victim, out)
    writeFileAtomic(out, '<html>trace</html>')
    expect(readFileSync(victim, 'utf8')).toBe('keep me')
    expect(lstatSync(out).isSymbolicLink()).toBe(false)
    expect(readFileSync(out, 'utf8')).toBe('<html>trace</html>')
    expect(statSync(out).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('uses a fresh temp name per write (two writes leave one file and no temp files)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlm-atomic-'))
    const out = join(dir, 'sub', 'report.json')
    writeFileAtomic(out, 'one')
    writeFileAtomic(out, 'two')
    expect(readFileSync(out, 'utf8')).toBe('two')
    expect(readdirSync(join(dir, 'sub'))).toEqual(['report.json'])
    expect(statSync(join(dir, 'sub')).mode & 0o777).toBe(0o700)
  })
})
