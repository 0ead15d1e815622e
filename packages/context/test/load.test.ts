import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadContext } from '../src/index.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rlm-context-'))
  await mkdir(path.join(dir, 'repo/src/nested'), { recursive: true })
  await mkdir(path.join(dir, 'repo/node_modules/x'), { recursive: true })
  await mkdir(path.join(dir, 'repo/.git'), { recursive: true })
  await writeFile(path.join(dir, 'repo/.gitignore'), 'node_modules/\n*.log\n')
  await writeFile(path.join(dir, 'repo/src/nested/.gitignore'), 'secret.txt\n')
  await writeFile(path.join(dir, 'repo/src/a.ts'), 'export const a = 1\n')
  await writeFile(path.join(dir, 'repo/src/nested/b.md'), '# B\n世界\n')
  await writeFile(path.join(dir, 'repo/src/nested/secret.txt'), 'hidden\n')
  await writeFile(path.join(dir, 'repo/debug.log'), 'log\n')
  await writeFile(path.join(dir, 'repo/node_modules/x/index.js'), 'dep\n')
  await writeFile(path.join(dir, 'repo/.git/HEAD'), 'ref\n')
  await writeFile(path.join(dir, 'repo/image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]))
  await writeFile(path.join(dir, 'repo/big.txt'), 'x'.repeat(2000))
  await writeFile(path.join(dir, 'one.txt'), 'first file\n')
  await writeFile(path.join(dir, 'bad.txt'), Buffer.from([0x61, 0xff, 0x62, 0xc3, 0x28, 0x63]))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('loadContext', () => {
  it('loads a plain string with UTF-16 length and slices like String.prototype.slice', async () => {
    const text = 'héllo 世界 😀!'
    const ctx = await loadContext({ text })
    expect(ctx.length).toBe(text.length)
    expect(ctx.slice(0, ctx.length)).toBe(text)
    for (let s = 0; s <= text.length; s++)
      for (let e = s; e <= text.length; e++) expect(ctx.slice(s, e)).toBe(text.slice(s, e))
    expect(ctx.slice(-3)).toBe(text.slice(-3))
    expect(ctx.documents).toEqual([expect.objectContaining({ name: 'text', start: 0, end: text.length })])
    expect(ctx.text).toBe(text)
    expect(Buffer.from(ctx.bytes()).toString('utf8')).toBe(text)
    expect(ctx.bytes().buffer).toBeInstanceOf(SharedArrayBuffer)
  })

  it('accepts a bare string and an empty text', async () => {
    expect((await loadContext('abc')).length).toBe(3)
    const empty = await loadContext({ text: '' })
    expect(empty.length).toBe(0)
    expect(empty.search('a')).toEqual([])
  })

  it('keeps document names and boundaries, joined by one newline', async () => {
    const ctx = await loadContext({
      documents: [
        { name: 'a.txt', text: 'alpha' },
        { name: 'b.txt', text: 'βeta 😀' },
      ],
    })
    expect(ctx.documents.map((d) => [d.name, ctx.slice(d.start, d.end)])).toEqual([
      ['a.txt', 'alpha'],
      ['b.txt', 'βeta 😀'],
    ])
    expect(ctx.text).toBe('alpha\nβeta 😀')
    expect(ctx.documentAt(7)?.name).toBe('b.txt')
  })

  it('loads one file by path', async () => {
    const ctx = await loadContext({ path: path.join(dir, 'one.txt') })
    expect(ctx.text).toBe('first file\n')
    expect(ctx.documents[0]?.name).toBe(path.join(dir, 'one.txt'))
  })

  it('loads several files, a directory among them', async () => {
    const ctx = await loadContext({ paths: [path.join(dir, 'one.txt'), path.join(dir, 'repo/src')] })
    expect(ctx.documents.map((d) => d.name.slice(dir.length + 1))).toEqual([
      'one.txt',
      'repo/src/a.ts',
      'repo/src/nested/.gitignore',
      'repo/src/nested/b.md',
    ])
  })

  it('walks a directory honouring nested .gitignore files, skipping binaries and oversized files with warnings', async () => {
    const ctx = await loadContext({ path: path.join(dir, 'repo') }, { maxFileSize: 1000, ignore: ['*.md'] })
    expect(ctx.documents.map((d) => d.name)).toEqual(['.gitignore', 'src/a.ts', 'src/nested/.gitignore'])
    expect(ctx.warnings.map((w) => [w.code, w.path])).toEqual([
      ['W_FILE_TOO_LARGE_SKIPPED', 'big.txt'],
      ['W_BINARY_SKIPPED', 'image.png'],
    ])
    const all = await loadContext({ path: path.join(dir, 'repo') })
    expect(all.documents.map((d) => d.name)).toEqual([
      '.gitignore',
      'big.txt',
      'src/a.ts',
      'src/nested/.gitignore',
      'src/nested/b.md',
    ])
    expect(all.slice(all.documents[4]?.start, all.documents[4]?.end)).toBe('# B\n世界\n')
  })

  it('replaces invalid UTF-8 with U+FFFD and reports how many', async () => {
    const ctx = await loadContext({ path: path.join(dir, 'bad.txt') })
    expect(ctx.text).toBe('a\uFFFDb\uFFFD(c')
    expect(ctx.warnings).toEqual([expect.objectContaining({ code: 'W_INVALID_UTF8', count: 2 })])
  })

  it('reads a byte stream (stdin) whose chunks split characters', async () => {
    const bytes = Buffer.from('stream 世界 end')
    const ctx = await loadContext({ stdin: Readable.from([bytes.subarray(0, 8), bytes.subarray(8)]) })
    expect(ctx.text).toBe('stream 世界 end')
    expect(ctx.documents[0]?.name).toBe('stdin')
    expect(ctx.warnings).toEqual([])
  })

  it('fails with E_CONTEXT_NOT_FOUND naming the path', async () => {
    const missing = path.join(dir, 'nope.txt')
    await expect(loadContext({ path: missing })).rejects.toMatchObject({
      code: 'E_CONTEXT_NOT_FOUND',
      message: expect.stringContaining(missing),
    })
  })

  it('fails with E_CONTEXT_TOO_LARGE naming maxBytes', async () => {
    await expect(loadContext({ text: 'x'.repeat(100) }, { maxBytes: 50 })).rejects.toMatchObject({
      code: 'E_CONTEXT_TOO_LARGE',
      message: expect.stringContaining('maxBytes'),
    })
    await expect(loadContext({ path: path.join(dir, 'repo') }, { maxBytes: 100 })).rejects.toMatchObject({
      code: 'E_CONTEXT_TOO_LARGE',
    })
  })

  it('fails with E_CONTEXT_EMPTY when there are no documents at all', async () => {
    await expect(loadContext({ documents: [] })).rejects.toMatchObject({ code: 'E_CONTEXT_EMPTY' })
    await expect(loadContext({ paths: [] })).rejects.toMatchObject({ code: 'E_CONTEXT_EMPTY' })
    const emptyDir = await mkdtemp(path.join(dir, 'empty-'))
    await expect(loadContext({ path: emptyDir })).rejects.toMatchObject({ code: 'E_CONTEXT_EMPTY' })
  })

  it('rejects malformed input with a message listing the accepted shapes', async () => {
    await expect(loadContext({ nope: 1 } as never)).rejects.toMatchObject({
      code: 'E_CONTEXT_INPUT',
      message: expect.stringContaining('{ documents'),
    })
  })

  it('describes its shape: size, tokens, documents, type and preview', async () => {
    const log = Array.from(
      { length: 20 },
      (_, i) => `2024-05-01T10:00:${String(i).padStart(2, '0')} INFO request ${i}`,
    ).join('\n')
    const ctx = await loadContext({ text: log })
    const shape = ctx.shape()
    expect(shape).toMatchObject({ length: log.length, documentCount: 1, type: 'logs', lines: 20 })
    expect(ctx.describe()).toContain('type: logs')
    expect(ctx.describe()).toContain('2024-05-01T10:00:00 INFO request 0')
    expect((await loadContext({ text: '{"a": 1}\n{"a": 2}\n' })).shape().type).toBe('jsonl')
    expect((await loadContext({ text: 'name,age,city\nann,3,x\nbob,4,y\n' })).shape().type).toBe('csv')
  })
})
