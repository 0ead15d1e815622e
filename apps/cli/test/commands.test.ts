import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { runCli, tempDir } from './run-cli.ts'
import { ERROR_LINE } from './schemas.ts'

describe('rlm commands', { concurrent: true }, () => {
  it('--help lists every command and the exit codes, exit 0', async () => {
    const r = await runCli(['--help'])
    expect(r.code).toBe(0)
    for (const cmd of ['run', 'demo', 'view', 'doctor', 'config', 'eval', 'serve'])
      expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'))
    expect(r.stdout).toContain('130 interrupted')
    const run = await runCli(['run', '--help'])
    for (const flag of [
      '--model',
      '--sub-model',
      '--base-url',
      '--max-depth',
      '--max-iterations',
      '--concurrency',
      '--budget-tokens',
      '--budget-usd',
      '--timeout',
      '--cache',
      '--cache-dir',
      '--trace',
      '--json',
      '--events',
      '--quiet',
      '--verbose',
      '--context',
    ]) {
      expect(run.stdout).toContain(flag)
    }
  })

  it('--version prints the version; no command or an unknown one is a usage error (exit 2)', async () => {
    const v = await runCli(['--version'])
    expect(v.code).toBe(0)
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
    const unknown = await runCli(['frobnicate'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(ERROR_LINE)
    expect((await runCli([])).code).toBe(2)
  })

  it('config layers defaults < rlm.config.json < RLM_* < flags and masks secrets', async () => {
    const dir = tempDir()
    writeFileSync(
      join(dir, 'rlm.config.json'),
      JSON.stringify({ model: 'ollama:file-model', maxDepth: 3, concurrency: 4, apiKey: 'file-secret-123' }),
    )
    writeFileSync(join(dir, '.env'), 'RLM_CONCURRENCY=6\n')
    const r = await runCli(['config'], { cwd: dir, env: { RLM_MAX_DEPTH: '4', RLM_TIMEOUT: '2m' } })
    expect(r.code, r.stderr).toBe(0)
    const doc = z
      .object({
        config: z.record(z.string(), z.unknown()),
        sources: z.record(z.string(), z.enum(['default', 'file', 'env', 'flag'])),
        file: z.string(),
      })
      .parse(JSON.parse(r.stdout))
    expect(doc.config).toMatchObject({
      model: 'ollama:file-model',
      maxDepth: 4,
      concurrency: 6,
      timeout: 120_000,
      maxIterations: 30,
      apiKey: '********',
    })
    expect(doc.sources).toMatchObject({
      model: 'file',
      maxDepth: 'env',
      concurrency: 'env',
      maxIterations: 'default',
    })
    expect(r.stdout).not.toContain('file-secret-123')
  })

  it('a bad value in the config file names the file and key (exit 2)', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'my.json'), JSON.stringify({ maxDepth: 0, colour: 'blue' }))
    const r = await runCli(['config', '--config', 'my.json'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(ERROR_LINE)
    expect(r.stderr).toContain('"colour"')
    const missing = await runCli(['config', '--config', 'nope.json'], { cwd: dir })
    expect(missing.code).toBe(2)
    const badEnv = await runCli(['config'], { cwd: dir, env: { RLM_CONCURRENCY: 'lots' } })
    expect(badEnv.code).toBe(2)
    expect(badEnv.stderr).toContain('RLM_CONCURRENCY')
  })

  it('doctor reports keys by name only, the server check and the cache dir', async () => {
    const dir = tempDir()
    const r = await runCli(
      ['doctor', '--json', '--model', 'openai-compatible:m', '--base-url', 'http://127.0.0.1:9/v1'],
      { cwd: dir, env: { OPENAI_API_KEY: 'sk-very-secret' } },
    )
    const doc = z
      .object({
        ok: z.boolean(),
        checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })),
      })
      .parse(JSON.parse(r.stdout))
    expect(r.stdout).not.toContain('sk-very-secret')
    const byName = Object.fromEntries(doc.checks.map((c) => [c.name, c]))
    expect(byName.keys?.detail).toContain('OPENAI_API_KEY set')
    expect(byName.keys?.detail).toContain('GROQ_API_KEY not set')
    expect(byName.server?.ok).toBe(false)
    expect(byName['cache dir']?.ok).toBe(true)
    expect(byName.node?.ok).toBe(true)
    expect(r.code).toBe(3)
    const plain = await runCli(['doctor'], { cwd: dir, env: { NO_COLOR: '1' } })
    expect(plain.stdout).toMatch(/^ok {3}node/m)
    expect(plain.stdout).not.toMatch(/\x1b\[/)
  })

  it('demo runs offline on the labelled scripted model, finds every planted fact, writes trace and viewer', async () => {
    const dir = tempDir()
    const r = await runCli(['demo'], { cwd: dir, env: { NO_COLOR: '1' }, timeoutMs: 60_000 })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain('BUILT-IN SCRIPTED DEMO MODEL')
    // One token estimate: the header's figure is the one describe() showed the model (in the trace).
    const header = /\(~(1\.\d+M) tokens\)/.exec(r.stderr)?.[1]
    const tracePath = /trace: +(\S+\.jsonl)/.exec(r.stderr)?.[1] as string
    const described = /\(~([\d,]+) tokens\), [\d,]+ lines, type: (\w+)/.exec(readFileSync(tracePath, 'utf8'))
    expect(header).toBe(`${(Number(described?.[1]?.replaceAll(',', '')) / 1e6).toFixed(2)}M`)
    expect(described?.[2]).toBe('logs')
    const planted = [...r.stderr.matchAll(/([A-Z]+) = (\d{4}-[A-Z]{2}) \(line \d+, (sensor-\d+)\)/g)]
    expect(planted).toHaveLength(3)
    for (const [, vault, code] of planted) expect(r.stdout).toContain(`${vault} = ${code}`)
    expect(r.stdout).toContain(`reported by ${planted[2]?.[3]}`)
    expect(r.stderr).toContain('recursion tree')
    expect(r.stderr).toMatch(/└─ child 0\.1 final/)
    expect(r.stderr).toMatch(/viewer: .*\.html/)
    expect(r.stderr).not.toMatch(/\x1b\[/)
  }, 60_000)

  it('demo --live without a model is a usage error', async () => {
    const r = await runCli(['demo', '--live'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(ERROR_LINE)
  })

  it('eval --offline runs the suite harness and prints the table', async () => {
    const r = await runCli(
      ['eval', '--suite', 's-niah', '--sizes', '8k', '--tasks', '1', '--offline', '--json', '-q'],
      { timeoutMs: 60_000 },
    )
    expect(r.code, r.stderr).toBe(0)
    const report = z
      .object({ kind: z.literal('mechanics-check'), results: z.array(z.object({ score: z.number() })) })
      .parse(JSON.parse(r.stdout))
    expect(report.results).toHaveLength(1)
    const bad = await runCli(['eval', '--suite', 'nope', '--offline'])
    expect(bad.code).toBe(2)
  }, 60_000)
})
