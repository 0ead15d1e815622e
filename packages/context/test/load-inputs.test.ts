import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_IGNORES, loadContext } from '../src/index.ts'

let dir: string
const names = (ctx: { documents: readonly { name: string }[] }): string[] => ctx.documents.map((d) => d.name)

function mkfifo(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('mkfifo', [file], { stdio: 'ignore' })
    p.on('error', reject)
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`mkfifo exited ${code}`))))
  })
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rlm-inputs-'))
  // A repository whose root .gitignore excludes build output two levels down.
  await mkdir(path.join(dir, 'repo/.git'), { recursive: true })
  await writeFile(path.join(dir, 'repo/.gitignore'), '*.log\ngenerated/\n')
  for (const f of [
    'pkg/src/a.ts',
    'pkg/src/debug.log',
    'pkg/generated/g.ts',
    'pkg/node_modules/dep/index.js',
    'pkg/dist/index.js',
    'pkg/build/out.txt',
    'pkg/target/x.rs',
    'pkg/__pycache__/m.pyc.txt',
    'pkg/.next/page.js',
    'pkg/notes/a.txt',
  ]) {
    await mkdir(path.dirname(path.join(dir, 'repo', f)), { recursive: true })
    await writeFile(path.join(dir, 'repo', f), `${f}\n`)
  }
  await writeFile(path.join(dir, 'secret.txt'), 'outside the folder\n')
  await symlink(path.join(dir, 'secret.txt'), path.join(dir, 'repo/pkg/src/link-out.txt'))
  await symlink(path.join(dir, 'repo/pkg/notes/a.txt'), path.join(dir, 'repo/pkg/src/link-in.txt'))
  await mkfifo(path.join(dir, 'repo/pkg/src/pipe'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('loadContext: what a directory walk leaves out', () => {
  it('honours .gitignore files from the repository root down and skips the default folders', async () => {
    const ctx = await loadContext({ path: path.join(dir, 'repo/pkg') })
    expect(names(ctx)).toEqual(['notes/a.txt', 'src/a.ts', 'src/link-in.txt'])
    expect(DEFAULT_IGNORES).toEqual(
      expect.arrayContaining(['node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', '.turbo']),
    )
  })

  it('takes extra ignore patterns, and defaultIgnores: false brings the build folders back', async () => {
    const ctx = await loadContext({ path: path.join(dir, 'repo/pkg') }, { ignore: ['notes/'] })
    expect(names(ctx)).toEqual(['src/a.ts', 'src/link-in.txt'])
    const all = await loadContext({ path: path.join(dir, 'repo/pkg') }, { defaultIgnores: false })
    expect(names(all)).toEqual([
      '.next/page.js',
      '__pycache__/m.pyc.txt',
      'build/out.txt',
      'dist/index.js',
      'node_modules/dep/index.js',
      'notes/a.txt',
      'src/a.ts',
      'src/link-in.txt',
      'target/x.rs',
    ])
  })

  it('loads a folder the repository ignores when it is named itself', async () => {
    const ctx = await loadContext({ path: path.join(dir, 'repo/pkg/generated') })
    expect(names(ctx)).toEqual(['g.ts'])
  })

  it('skips symlinks that leave the folder and non-regular files, with a warning each', async () => {
    const ctx = await loadContext({ path: path.join(dir, 'repo/pkg') })
    expect(ctx.text).not.toContain('outside the folder')
    expect(ctx.warnings.map((w) => [w.code, w.path])).toEqual([
      ['W_SYMLINK_OUTSIDE_SKIPPED', 'src/link-out.txt'],
      ['W_SPECIAL_FILE_SKIPPED', 'src/pipe'],
    ])
    expect(ctx.warnings[0]?.message).toContain('followSymlinks')
    const followed = await loadContext({ path: path.join(dir, 'repo/pkg') }, { followSymlinks: true })
    expect(names(followed)).toContain('src/link-out.txt')
    expect(followed.text).toContain('outside the folder')
  })
})

describe('loadContext: pipes and FIFOs named explicitly', () => {
  it('reads a FIFO named as the path while its writer writes', async () => {
    const fifo = path.join(dir, 'named-pipe')
    await mkfifo(fifo)
    const writer = spawn('sh', ['-c', `printf 'from a pipe\\n' > '${fifo}'`], { stdio: 'ignore' })
    const written = new Promise((r) => writer.on('close', r))
    const ctx = await loadContext({ path: fifo })
    expect(ctx.text).toBe('from a pipe\n')
    await written
  })

  it('fails with E_CONTEXT_INPUT when a FIFO gets no writer within firstByteTimeoutMs', async () => {
    const fifo = path.join(dir, 'lonely-pipe')
    await mkfifo(fifo)
    const started = Date.now()
    await expect(loadContext({ path: fifo }, { firstByteTimeoutMs: 300 })).rejects.toMatchObject({
      code: 'E_CONTEXT_INPUT',
      message: expect.stringContaining('within 300 ms'),
    })
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('fails with E_CONTEXT_INPUT when stdin stays silent, and reads a late stream once it starts', async () => {
    const silent = new PassThrough()
    await expect(loadContext({ stdin: silent }, { firstByteTimeoutMs: 200 })).rejects.toMatchObject({
      code: 'E_CONTEXT_INPUT',
      message: expect.stringContaining('stdin'),
    })
    expect(silent.destroyed).toBe(true)
    const slow = new PassThrough()
    slow.write('first ')
    setTimeout(() => slow.end('then the rest'), 400)
    expect((await loadContext({ stdin: slow }, { firstByteTimeoutMs: 200 })).text).toBe('first then the rest')
  })

  it('caps what a FIFO may send at maxBytes', async () => {
    const fifo = path.join(dir, 'endless-pipe')
    await mkfifo(fifo)
    const writer = spawn('sh', ['-c', `yes > '${fifo}'`], { stdio: 'ignore' })
    await expect(loadContext({ path: fifo }, { maxBytes: 1 << 20 })).rejects.toMatchObject({
      code: 'E_CONTEXT_TOO_LARGE',
    })
    writer.kill()
  })

  it('refuses a socket named as the path with E_CONTEXT_INPUT', async () => {
    const sock = path.join(dir, 'rlm.sock')
    const server = createServer().listen(sock)
    await new Promise((r) => server.once('listening', r))
    await expect(loadContext({ path: sock })).rejects.toMatchObject({ code: 'E_CONTEXT_INPUT' })
    server.close()
  })
})
