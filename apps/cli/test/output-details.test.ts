import { existsSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { runArgs } from './model-server.ts'
import { runCli, tempDir } from './run-cli.ts'

const MODEL_FILE = fileURLToPath(new URL('./fixtures/inputs-model.mjs', import.meta.url))
const summaryOf = (stderr: string): string =>
  stderr.split('\n').find((l) => /^(final|error|budget_exhausted) · /.test(l)) ?? ''

describe('what the CLI prints around a run', { concurrent: true, timeout: 120_000 }, () => {
  it('the summary says "1 iteration", counts a failed turn, and marks calls served from the cache', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'notes.txt'), 'alpha\n')
    const args = [
      'run',
      'q',
      '--context',
      'notes.txt',
      '--model',
      `./${relative(dir, MODEL_FILE)}:m`,
      '--cache',
    ]
    const env = { XDG_CACHE_HOME: tempDir('rlm-cache-home-') }
    const first = await runCli(args, { cwd: dir, env })
    expect(first.code, first.stderr).toBe(0)
    expect(summaryOf(first.stderr)).toMatch(/^final · 1 iteration · 0 sub-calls · depth 1 · /)
    expect(summaryOf(first.stderr)).not.toContain('from the cache')
    const second = await runCli(args, { cwd: dir, env })
    expect(second.code, second.stderr).toBe(0)
    expect(summaryOf(second.stderr)).toContain('1 of 1 call from the cache')
    const failed = await runCli(runArgs('q', join(dir, 'notes.txt'), 'http://127.0.0.1:9/v1'), { cwd: dir })
    expect(failed.code).toBe(3)
    expect(summaryOf(failed.stderr)).toMatch(/^error · 1 iteration · /)
  })

  it('demo --json carries the viewer path, and the viewer is there', async () => {
    const dir = tempDir()
    const r = await runCli(['demo', '--json', '--tokens', '20000', '-q'], { cwd: dir, timeoutMs: 90_000 })
    expect(r.code, r.stderr).toBe(0)
    const doc = z
      .object({ status: z.literal('final'), viewer: z.string().endsWith('.html') })
      .parse(JSON.parse(r.stdout))
    expect(existsSync(doc.viewer)).toBe(true)
  })

  it('eval --html says where it wrote the report', async () => {
    const dir = tempDir()
    const r = await runCli(
      ['eval', '--suite', 's-niah', '--sizes', '8k', '--tasks', '1', '--offline', '--html', 'report.html'],
      { cwd: dir, timeoutMs: 90_000 },
    )
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain(`html report: ${join(dir, 'report.html')}`)
    expect(existsSync(join(dir, 'report.html'))).toBe(true)
    expect(r.stdout).toMatch(/in tokens\/task/)
  })
})
