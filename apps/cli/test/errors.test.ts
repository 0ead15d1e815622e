import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createOpenAICompatibleServer } from '@rlm/providers/testing'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { runArgs, startModelServer } from './model-server.ts'
import { type CliRun, runCli, tempDir } from './run-cli.ts'
import { ERROR_LINE } from './schemas.ts'

const lastLine = (r: CliRun): string => r.stderr.trimEnd().split('\n').at(-1) ?? ''
const errorLines = (r: CliRun): string[] => r.stderr.split('\n').filter((l) => /\bE_[A-Z_]+\b/.test(l))
const jsonError = z.object({
  status: z.literal('error'),
  error: z.object({ code: z.string().regex(/^E_/), message: z.string().min(1) }),
})

function workspace(): { dir: string; file: string } {
  const dir = tempDir()
  const file = join(dir, 'notes.txt')
  writeFileSync(file, 'alpha one\nbeta two\n')
  return { dir, file }
}

describe('rlm says an error once, last, with a hint for its code', {
  concurrent: true,
  timeout: 90_000,
}, () => {
  it('a failing run prints its summary and trace path first and the one error line last', async () => {
    const { dir, file } = workspace()
    const r = await runCli(runArgs('q', file, 'http://127.0.0.1:9/v1'), { cwd: dir })
    expect(r.code).toBe(3)
    expect(lastLine(r)).toMatch(ERROR_LINE)
    expect(lastLine(r)).toContain('E_PROVIDER_UNAVAILABLE')
    expect(errorLines(r), r.stderr).toHaveLength(1)
    expect(r.stderr).toMatch(/trace: .*\.jsonl\n.*rlm: error/)
  })

  it('a 429 says to wait or lower --concurrency', async () => {
    await using server = await createOpenAICompatibleServer({
      replies: () => ({ status: 429, message: 'Too many requests', headers: { 'retry-after-ms': '10' } }),
    })
    const { dir, file } = workspace()
    const r = await runCli(runArgs('q', file, server.baseURL, '-q'), { cwd: dir })
    expect(r.code).toBe(3)
    expect(lastLine(r)).toContain('E_PROVIDER_RATE_LIMIT')
    expect(lastLine(r)).toContain('--concurrency')
    expect(lastLine(r)).toMatch(/wait/)
    expect(lastLine(r)).not.toContain('check the model id')
  })

  it('a slow server names --request-timeout, not a library option, and the flag cuts the wait', async () => {
    await using server = await createOpenAICompatibleServer({
      replies: () => ({ text: 'late', delayMs: 20_000 }),
    })
    const { dir, file } = workspace()
    const started = Date.now()
    const r = await runCli(runArgs('q', file, server.baseURL, '--request-timeout', '500ms', '-q'), {
      cwd: dir,
      timeoutMs: 60_000,
    })
    expect(r.code).toBe(3)
    expect(lastLine(r)).toContain('E_PROVIDER_TIMEOUT')
    expect(lastLine(r)).toContain('--request-timeout')
    expect(lastLine(r)).not.toContain('timeoutMs')
    // Without the flag: 120 s a request, three attempts.
    expect(Date.now() - started).toBeLessThan(60_000)
  })

  it('an unknown provider says how to name a package on the command line, not options.providers', async () => {
    const r = await runCli(['run', 'q', '--model', 'no-such-provider-xyz:model'])
    expect(r.code).toBe(2)
    expect(lastLine(r)).toContain('E_CONFIG')
    expect(lastLine(r)).toContain('--model')
    expect(r.stderr).not.toContain('options.providers')
  })

  it('the budget line names the flag to raise and which partial answer was printed', async () => {
    await using server = await startModelServer('never-final')
    const { dir, file } = workspace()
    const r = await runCli(runArgs('q', file, server.baseURL, '--max-iterations', '2'), {
      cwd: dir,
      timeoutMs: 80_000,
    })
    expect(r.code).toBe(4)
    expect(lastLine(r)).toMatch(ERROR_LINE)
    expect(lastLine(r)).toContain('E_BUDGET')
    expect(lastLine(r)).toContain('--max-iterations')
    expect(lastLine(r)).toMatch(/printed the partial answer: |no partial answer was printed/)
    expect(errorLines(r)).toHaveLength(1)
  })

  it('rlm help <unknown> is one usage error, not the whole help and "(outputHelp)"', async () => {
    const r = await runCli(['help', 'foo'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).not.toContain('outputHelp')
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(lastLine(r)).toMatch(ERROR_LINE)
    expect(lastLine(r)).toContain("'foo'")
    const known = await runCli(['help', 'run'])
    expect(known.code).toBe(0)
    expect(known.stdout).toContain('--context')
  })
})

describe('--json prints a status: error document on stdout for every failure', {
  concurrent: true,
  timeout: 90_000,
}, () => {
  const cases: Array<{ name: string; args: string[]; code: number; error: string }> = [
    { name: 'an unknown flag', args: ['run', 'q', '--frobnicate', '--json'], code: 2, error: 'E_USAGE' },
    {
      name: 'a bad flag value',
      args: ['run', 'q', '--json', '--max-depth', 'deep'],
      code: 2,
      error: 'E_USAGE',
    },
    {
      name: 'a missing context',
      args: ['run', 'q', '--json', '-c', 'nope.txt', '--model', 'ollama:m'],
      code: 2,
      error: 'E_CONTEXT_NOT_FOUND',
    },
    {
      name: 'a missing key',
      args: ['run', 'q', '--json', '--model', 'openai:gpt-4o-mini'],
      code: 3,
      error: 'E_PROVIDER_AUTH',
    },
    { name: 'an unknown command', args: ['frobnicate', '--json'], code: 2, error: 'E_USAGE' },
    {
      name: 'eval with a bad suite',
      args: ['eval', '--suite', 'nope', '--offline', '--json'],
      code: 2,
      error: 'E_CONFIG',
    },
  ]
  for (const c of cases) {
    it(`${c.name} → ${c.error}, exit ${c.code}`, async () => {
      const r = await runCli(c.args)
      expect(r.code, r.stderr).toBe(c.code)
      const doc = jsonError.parse(JSON.parse(r.stdout))
      expect(doc.error.code).toBe(c.error)
      expect(lastLine(r)).toMatch(ERROR_LINE)
    })
  }
})
