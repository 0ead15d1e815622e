import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseTrace, readTrace } from '@rlm/engine'
import { describe, expect, it } from 'vitest'
import { runArgs, startModelServer } from './model-server.ts'
import { runCli, tempDir } from './run-cli.ts'
import { ERROR_LINE, resultSchema } from './schemas.ts'

function workspace(): { dir: string; file: string } {
  const dir = tempDir()
  const file = join(dir, 'notes.txt')
  writeFileSync(file, 'alpha one\nbeta two\ngamma three\ndelta four\n')
  return { dir, file }
}

describe('rlm run against a loopback OpenAI-compatible server', { concurrent: true, timeout: 90_000 }, () => {
  it('--json prints one result document that matches the schema, and exits 0', async () => {
    await using server = await startModelServer()
    const { dir, file } = workspace()
    const r = await runCli(
      [
        'run',
        'How many lines?',
        '--context',
        file,
        '--model',
        'openai-compatible:test-model',
        '--base-url',
        server.baseURL,
        '--json',
      ],
      { cwd: dir },
    )
    expect(r.code, r.stderr).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    const result = resultSchema.parse(JSON.parse(lines[0] as string))
    expect(result.status).toBe('final')
    expect(result.answer).toBe('lines: 5, first: alpha')
    expect(result.subCalls).toBe(2)
    expect(result.exitCode).toBe(0)
    expect(existsSync(result.trace)).toBe(true)
    expect(result.trace.startsWith(join(dir, '.rlm'))).toBe(true)
    expect(server.requests.some((q) => q.model === 'test-model')).toBe(true)
  })

  it('--events streams NDJSON events that all match the schema, run_start first and run_end last', async () => {
    await using server = await startModelServer()
    const { dir, file } = workspace()
    const trace = join(dir, 'out', 't.jsonl')
    const r = await runCli(
      [
        'run',
        'count',
        '-c',
        file,
        '--model',
        `openai-compatible:m@${server.baseURL}`,
        '--events',
        '--trace',
        trace,
        '--quiet',
      ],
      { cwd: dir },
    )
    expect(r.code, r.stderr).toBe(0)
    const { events } = parseTrace(r.stdout, { mode: 'strict' })
    expect(events[0]?.type).toBe('run_start')
    expect(events.at(-1)?.type).toBe('run_end')
    expect(events.filter((e) => e.type === 'subcall_end')).toHaveLength(2)
    // What a cell prints streams live as cell_output; the trace keeps it in code_end only.
    expect(events.find((e) => e.type === 'cell_output')).toMatchObject({ iteration: 1, cell: 0 })
    const traced = events.filter((e) => e.type !== 'cell_output')
    expect(readFileSync(trace, 'utf8').trim().split('\n')).toHaveLength(traced.length)
    expect(r.stderr).toBe('')
  })

  it('prints the plain answer on stdout and progress plus the trace path on stderr', async () => {
    await using server = await startModelServer()
    const { dir, file } = workspace()
    const r = await runCli(
      ['run', 'count', '--context', file, '--model', 'openai-compatible:m', '--base-url', server.baseURL],
      { cwd: dir },
    )
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe('lines: 5, first: alpha\n')
    expect(r.stderr).toMatch(
      /iter \d+ · depth 0 · sub-calls \d+ done, \d+ in flight · .* tok · .* · [\d.]+m?s/,
    )
    expect(r.stderr).toMatch(/trace: .*\.jsonl/)
    expect(r.stderr).not.toMatch(/\x1b\[/) // not a TTY: no colours, no redraws
  })

  it('reads the context from stdin with --context -', async () => {
    await using server = await startModelServer()
    const r = await runCli(
      [
        'run',
        'count',
        '--context',
        '-',
        '--model',
        'openai-compatible:m',
        '--base-url',
        server.baseURL,
        '-q',
      ],
      { input: 'one two\nthree' },
    )
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe('lines: 2, first: one t\n')
  })

  it('exits 4 with the partial answer when the iteration budget runs out', async () => {
    await using server = await startModelServer('never-final')
    const { dir, file } = workspace()
    const r = await runCli(runArgs('count', file, server.baseURL, '--max-iterations', '2', '--json'), {
      cwd: dir,
    })
    expect(r.code, r.stderr).toBe(4)
    const result = resultSchema.parse(JSON.parse(r.stdout))
    expect(result.status).toBe('budget_exhausted')
    expect(result.budget).toBe('maxIterations')
    expect(result.answer).not.toBe('')
    expect(r.stderr).toMatch(ERROR_LINE)
    expect(r.stderr).toContain('E_BUDGET')
  })

  it('exits 3 with one error line when the server rejects the key', async () => {
    const { createOpenAICompatibleServer } = await import('@rlm/providers/testing')
    await using server = await createOpenAICompatibleServer({ apiKey: 'right-key' })
    const { dir, file } = workspace()
    const r = await runCli(
      ['run', 'q', '--context', file, '--model', 'openai-compatible:m', '--base-url', server.baseURL],
      { cwd: dir, env: { RLM_API_KEY: 'wrong-key' } },
    )
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(ERROR_LINE)
    expect(r.stderr).toContain('E_PROVIDER_AUTH')
    expect(r.stderr).not.toContain('wrong-key')
    // The advice names what the command line has, not a library setting.
    expect(r.stderr).not.toContain('provider settings')
    expect(r.stderr).toContain('RLM_API_KEY')
  })

  it('Ctrl-C mid-run aborts the call, keeps a closed trace and exits 130', async () => {
    await using server = await startModelServer('slow')
    const { dir, file } = workspace()
    const trace = join(dir, 'int.jsonl')
    const { spawn } = await import('node:child_process')
    const { BIN, cleanEnv } = await import('./run-cli.ts')
    const child = spawn(
      process.execPath,
      [
        BIN,
        'run',
        'q',
        '--context',
        file,
        '--model',
        'openai-compatible:m',
        '--base-url',
        server.baseURL,
        '--trace',
        trace,
      ],
      {
        cwd: dir,
        env: cleanEnv(),
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d
    })
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    // Wait until the slow second turn is in flight, then press Ctrl-C (the whole process group).
    const started = Date.now()
    while (server.requests.filter((q) => (q.messages[0]?.content ?? '').includes('Recursive')).length < 2) {
      if (Date.now() - started > 20_000) throw new Error(`no second turn: ${stderr}`)
      await new Promise((r) => setTimeout(r, 50))
    }
    process.kill(-(child.pid as number), 'SIGINT')
    expect(await exited).toBe(130)
    expect(stderr).toContain('interrupted')
    const { events } = readTrace(trace, { mode: 'strict' })
    expect(events.at(-1)?.type).toBe('run_end')
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('--seed seeds the REPL (recorded in run_start with its clock start); a bad seed is a usage error', async () => {
    await using server = await startModelServer()
    const { dir, file } = workspace()
    const r = await runCli([...runArgs('How many lines?', file, server.baseURL), '--seed', '7', '--events'], {
      cwd: dir,
    })
    expect(r.code, r.stderr).toBe(0)
    const { events } = parseTrace(r.stdout, { mode: 'strict' })
    expect(events[0]).toMatchObject({ type: 'run_start', seed: 7, clockStartMs: expect.any(Number) })
    const bad = await runCli([...runArgs('q', file, server.baseURL), '--seed', '1.5'], { cwd: dir })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--seed: expected a whole number')
  })
})

describe('rlm run rejects bad input with one line, a code and a non-zero exit, writing nothing', {
  concurrent: true,
}, () => {
  const cases: Array<{
    name: string
    args: (dir: string) => string[]
    code: number
    error: string
    env?: Record<string, string>
  }> = [
    {
      name: 'a missing context file',
      args: (d) => ['run', 'q', '--context', join(d, 'nope.txt'), '--model', 'ollama:m'],
      code: 2,
      error: 'E_CONTEXT_NOT_FOUND',
    },
    {
      name: 'a directory of only binary files',
      args: (d) => {
        mkdirSync(join(d, 'bin'))
        writeFileSync(join(d, 'bin', 'a.bin'), Buffer.from([0, 1, 2, 3, 0, 255, 0, 7]))
        writeFileSync(join(d, 'bin', 'b.png'), Buffer.from([137, 80, 78, 71, 0, 0, 0, 13]))
        return ['run', 'q', '--context', join(d, 'bin'), '--model', 'ollama:m']
      },
      code: 2,
      error: 'E_CONTEXT_EMPTY',
    },
    {
      name: 'an unknown model id',
      args: () => ['run', 'q', '--model', 'no-such-provider-xyz:model'],
      code: 2,
      error: 'E_CONFIG',
    },
    {
      name: 'a model id without a provider',
      args: () => ['run', 'q', '--model', 'gpt-4o'],
      code: 2,
      error: 'E_USAGE',
    },
    {
      name: 'openai-compatible without a server address',
      args: () => ['run', 'q', '--model', 'openai-compatible:m'],
      code: 2,
      error: 'E_USAGE',
    },
    {
      name: 'a bad flag value',
      args: () => ['run', 'q', '--model', 'ollama:m', '--max-depth', 'deep'],
      code: 2,
      error: 'E_USAGE',
    },
    {
      name: 'a bad base URL',
      args: () => ['run', 'q', '--model', 'ollama:m', '--base-url', 'not a url'],
      code: 2,
      error: 'E_USAGE',
    },
    { name: 'an unknown flag', args: () => ['run', 'q', '--frobnicate'], code: 2, error: 'E_USAGE' },
    { name: 'no model at all', args: () => ['run', 'q'], code: 2, error: 'E_USAGE' },
    {
      name: 'a missing key',
      args: () => ['run', 'q', '--model', 'openai:gpt-4o-mini'],
      code: 3,
      error: 'E_PROVIDER_AUTH',
    },
    {
      name: 'an unreachable base URL',
      args: () => ['run', 'q', '--model', 'openai-compatible:m', '--base-url', 'http://127.0.0.1:9/v1'],
      code: 3,
      error: 'E_PROVIDER_UNAVAILABLE',
    },
  ]
  for (const c of cases) {
    it(`${c.name} → exit ${c.code}, ${c.error}`, async () => {
      const dir = tempDir()
      const r = await runCli(c.args(dir), { cwd: dir, ...(c.env && { env: c.env }) })
      expect(r.code, r.stderr).toBe(c.code)
      expect(r.stdout).toBe('')
      const errorLines = r.stderr.split('\n').filter((l) => l.startsWith('rlm: error'))
      expect(errorLines, r.stderr).toHaveLength(1)
      expect(errorLines[0]).toMatch(ERROR_LINE)
      expect(errorLines[0]).toContain(c.error)
      expect(errorLines[0]).toContain(`(exit ${c.code})`)
      if (c.code === 2) expect(existsSync(join(dir, '.rlm'))).toBe(false)
    })
  }
})
