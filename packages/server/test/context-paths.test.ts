// context_paths resolve only inside --context-root: every traversal attempt is refused before
// anything outside is opened, and what is inside loads as the run's context.

import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scriptedRlm, startServer } from './harness.ts'

function tree() {
  const base = mkdtempSync(join(tmpdir(), 'rlm-serve-root-'))
  const root = join(base, 'root')
  mkdirSync(join(root, 'docs'), { recursive: true })
  writeFileSync(join(root, 'docs', 'a.txt'), 'alpha beta')
  writeFileSync(join(root, 'docs', 'b.txt'), 'gamma')
  writeFileSync(join(base, 'secret.txt'), 'the secret outside the root')
  mkdirSync(join(base, 'outside'))
  writeFileSync(join(base, 'outside', 'c.txt'), 'outside file')
  symlinkSync(join(base, 'secret.txt'), join(root, 'link-out.txt'))
  symlinkSync(join(base, 'outside'), join(root, 'dir-out'))
  symlinkSync(join(root, 'docs', 'a.txt'), join(root, 'link-in.txt'))
  return { base, root }
}

const names = scriptedRlm({
  turns: [
    () =>
      'FINAL(documents.map((d) => d.name.split("/").slice(-2).join("/")).join(",") + " | " + context.length)',
  ],
})

describe('context_paths', () => {
  it('refuses ../, absolute paths outside, symlinks out, encoded and backslash forms, before opening anything', async () => {
    const { base, root } = tree()
    await using s = await startServer({ models: { m: names }, contextRoots: [root] })
    for (const path of [
      '../secret.txt',
      'docs/../../secret.txt',
      join(base, 'secret.txt'),
      '/etc/passwd',
      'link-out.txt',
      'dir-out/c.txt',
      'dir-out',
      '..\\secret.txt',
      'docs/..',
      'a\0b',
    ]) {
      const res = await s.api('/v1/runs', { method: 'POST', json: { query: 'q', context_paths: [path] } })
      expect(res.status, path).toBe(400)
      const body = (await res.json()) as { error: { code: string; param: string } }
      expect(body.error, path).toMatchObject({ code: 'E_CONFIG', param: 'context_paths[0]' })
    }
    // A URL-encoded "../" is a file name like any other here: it does not exist under the root.
    const encoded = await s.api('/v1/runs', {
      method: 'POST',
      json: { query: 'q', context_paths: ['%2e%2e%2fsecret.txt'] },
    })
    expect(encoded.status).toBe(400)
    expect(await encoded.json()).toMatchObject({ error: { code: 'E_CONTEXT_NOT_FOUND' } })
    expect(s.server.runs.list()).toHaveLength(0)
  })

  it('loads files and folders inside the root (relative, absolute, or through a symlink that stays inside)', async () => {
    const { root } = tree()
    await using s = await startServer({ models: { m: names }, contextRoots: [root] })
    const ask = async (context_paths: string[]) =>
      (
        await s.client.chat.completions.create({
          model: 'rlm',
          messages: [{ role: 'user', content: 'q' }],
          rlm: { context_paths },
        } as never)
      ).choices[0]?.message.content
    expect(await ask(['docs'])).toBe('a.txt,b.txt | 16')
    expect(await ask([join(root, 'docs', 'b.txt'), 'link-in.txt'])).toBe('docs/b.txt,docs/a.txt | 16')
  })

  it('a chat request may combine message text with files under the root', async () => {
    const { root } = tree()
    await using s = await startServer({ models: { m: names }, contextRoots: [root] })
    const r = await s.client.chat.completions.create({
      model: 'rlm',
      messages: [
        { role: 'system', content: 'notes' },
        { role: 'user', content: 'q' },
      ],
      rlm: { context_paths: ['docs/a.txt'] },
    } as never)
    expect(r.choices[0]?.message.content).toBe('messages[0].system,docs/a.txt | 16')
  })

  it('without --context-root, context_paths are refused with what to do instead', async () => {
    await using s = await startServer()
    const res = await s.api('/v1/runs', { method: 'POST', json: { query: 'q', context_paths: ['a.txt'] } })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('--context-root')
  })
})
