// Traces are private, through the real `rlm` bin: 0600 files in 0700 directories, --no-trace,
// and traceRetentionDays pruning the CLI's trace directory (and nothing else) at start.
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { runCli, tempDir } from './run-cli.ts'
import { resultSchema } from './schemas.ts'

const PROBE_FILE = fileURLToPath(new URL('./fixtures/env-probe-model.mjs', import.meta.url))
const offline = (cwd: string): string[] => [
  'run',
  'q',
  '--context',
  '-',
  '--model',
  `./${relative(cwd, PROBE_FILE)}:m`,
]
const DAY_MS = 86_400_000

function aged(path: string, days: number): string {
  writeFileSync(path, '{}\n')
  const t = new Date(Date.now() - days * DAY_MS)
  utimesSync(path, t, t)
  return path
}

describe('rlm traces', { concurrent: true, timeout: 60_000 }, () => {
  it.skipIf(process.platform === 'win32')(
    'are written 0600 under .rlm/traces, both directories 0700',
    async () => {
      const dir = tempDir()
      const r = await runCli(offline(dir), { cwd: dir, input: 'ctx\n' })
      expect(r.code, r.stderr).toBe(0)
      const traces = join(dir, '.rlm', 'traces')
      const [file] = readdirSync(traces)
      expect(file).toMatch(/^run-\d{8}-\d{6}-[0-9a-f]{6}\.jsonl$/)
      expect(statSync(join(traces, file as string)).mode & 0o777).toBe(0o600)
      expect(statSync(traces).mode & 0o777).toBe(0o700)
      expect(statSync(join(dir, '.rlm')).mode & 0o777).toBe(0o700)
    },
  )

  it('--no-trace writes none and says so; --json reports trace null', async () => {
    const dir = tempDir()
    const text = await runCli([...offline(dir), '--no-trace'], { cwd: dir, input: 'ctx\n' })
    expect(text.code, text.stderr).toBe(0)
    expect(text.stderr).toContain('trace: none (--no-trace)')
    const json = await runCli([...offline(dir), '--no-trace', '--json'], { cwd: dir, input: 'ctx\n' })
    // The document is the usual one, with no trace file to point at.
    expect(resultSchema.extend({ trace: z.null() }).parse(JSON.parse(json.stdout)).trace).toBeNull()
    expect(existsSync(join(dir, '.rlm', 'traces'))).toBe(false)
  })

  it('prunes rlm traces older than traceRetentionDays from its trace directory only', async () => {
    const dir = tempDir()
    const traces = join(dir, '.rlm', 'traces')
    mkdirSync(traces, { recursive: true })
    const old = aged(join(traces, 'run-20200101-000000-abcdef.jsonl'), 40)
    const oldViewer = aged(join(traces, 'demo-20200101-000000-abcdef.html'), 40)
    const recent = aged(join(traces, 'run-20200102-000000-abcdef.jsonl'), 3)
    const foreign = aged(join(traces, 'keep-me.jsonl'), 400)
    const elsewhere = join(dir, 'mine')
    mkdirSync(elsewhere)
    const elsewhereOld = aged(join(elsewhere, 'run-20200101-000000-abcdef.jsonl'), 40)

    const kept = await runCli([...offline(dir), '--no-trace'], {
      cwd: dir,
      input: 'ctx\n',
      env: { RLM_TRACE_RETENTION_DAYS: '0' },
    })
    expect(kept.code, kept.stderr).toBe(0)
    expect(existsSync(old)).toBe(true)

    const r = await runCli([...offline(dir), '--trace', join(elsewhere, 'this-run.jsonl')], {
      cwd: dir,
      input: 'ctx\n',
    })
    expect(r.code, r.stderr).toBe(0)
    for (const gone of [old, oldViewer]) expect(existsSync(gone), gone).toBe(false)
    for (const left of [recent, foreign, elsewhereOld]) expect(existsSync(left), left).toBe(true)

    writeFileSync(join(dir, 'rlm.config.json'), JSON.stringify({ traceRetentionDays: 2 }))
    await runCli([...offline(dir), '--no-trace'], { cwd: dir, input: 'ctx\n' })
    expect(existsSync(recent)).toBe(false)
  })
})
