// Logging through the real `rlm` bin: --log-level / RLM_LOG_LEVEL give human lines on stderr,
// --log-file JSON lines in a file (and nothing on stderr), none without either; a key a server
// echoes never reaches the file; a project file may not choose where logs are written.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createOpenAICompatibleServer, echoCredentials, type ReceivedRequest } from '@rlm/providers/testing'
import { describe, expect, it } from 'vitest'
import { runCli, tempDir } from './run-cli.ts'

const js = (code: string): string => `\`\`\`js\n${code}\n\`\`\``
const isRoot = (req: ReceivedRequest): boolean =>
  (req.messages[0]?.content ?? '').includes('Recursive Language Model')
const DEMO = ['demo', '--tokens', '10000', '--quiet', '--no-trace', '--no-view']
const logLines = (text: string): string[] =>
  text.split('\n').filter((l) => /^rlm (error|warn|info|debug|trace):/.test(l))
const jsonLines = (path: string): Array<Record<string, unknown>> =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)

describe('rlm logging', { timeout: 120_000 }, () => {
  it('--log-level info and RLM_LOG_LEVEL print human lines on stderr; no flag prints none', async () => {
    const [flag, env, none] = await Promise.all([
      runCli([...DEMO, '--log-level', 'info'], { timeoutMs: 90_000 }),
      runCli(DEMO, { env: { RLM_LOG_LEVEL: 'info' }, timeoutMs: 90_000 }),
      runCli(DEMO, { timeoutMs: 90_000 }),
    ])
    for (const r of [flag, env]) {
      expect(r.code, r.stderr).toBe(0)
      const lines = logLines(r.stderr)
      expect(lines[0], r.stderr).toMatch(/^rlm info: run started \(runId=/)
      expect(lines.at(-1)).toMatch(/^rlm info: run ended: final \(runId=.* status=final/)
    }
    expect(none.code, none.stderr).toBe(0)
    expect(logLines(none.stderr)).toEqual([])
  })

  it('--log-file writes JSON lines (info by default) and nothing on stderr', async () => {
    const dir = tempDir()
    const r = await runCli([...DEMO, '--log-file', 'logs/rlm.log'], { cwd: dir, timeoutMs: 90_000 })
    expect(r.code, r.stderr).toBe(0)
    expect(logLines(r.stderr)).toEqual([])
    const lines = jsonLines(join(dir, 'logs', 'rlm.log'))
    expect(lines.map((l) => l.msg)).toEqual(['run started', 'run ended: final'])
    expect(lines.every((l) => l.level === 30 && l.name === 'rlm')).toBe(true)
  })

  it('a bad level is a usage error naming the flag or the variable', async () => {
    const [flag, env] = await Promise.all([
      runCli([...DEMO, '--log-level', 'loud']),
      runCli(DEMO, { env: { RLM_LOG_LEVEL: 'verbose' } }),
    ])
    expect(flag.code).toBe(2)
    expect(flag.stderr).toContain('--log-level: expected one of silent, error, warn, info, debug, trace')
    expect(env.code).toBe(2)
    expect(env.stderr).toContain('RLM_LOG_LEVEL: expected one of')
  })

  it('a key the server echoes is in no line of a trace-level log file', async () => {
    const key = 'cli-log-key-3c4d5e6f7a8b'
    await using server = await createOpenAICompatibleServer({
      replies: (req) =>
        !isRoot(req)
          ? echoCredentials(req, 400)
          : req.messages.some((m) => m.role === 'assistant')
            ? js('FINAL(seen)')
            : js('globalThis.seen = await llm_query_batched(["a", "b"]); print(seen)'),
    })
    const dir = tempDir()
    const r = await runCli(
      [
        'run',
        'q',
        '--context',
        '-',
        '--model',
        'openai:gpt-4o-mini',
        '--log-level',
        'trace',
        '--log-file',
        'rlm.log',
      ],
      {
        cwd: dir,
        input: 'ctx\n',
        env: { OPENAI_API_KEY: key, OPENAI_BASE_URL: server.baseURL },
        timeoutMs: 90_000,
      },
    )
    expect(r.code, r.stderr).toBe(0)
    // The server did echo the key, so the sub-call errors the log records could hold it.
    expect(server.requests.some((q) => q.headers.authorization === `Bearer ${key}`)).toBe(true)
    const text = readFileSync(join(dir, 'rlm.log'), 'utf8')
    const levels = new Set(jsonLines(join(dir, 'rlm.log')).map((l) => l.level))
    expect([...levels].sort()).toEqual([10, 20, 30])
    expect(text).toContain('E_PROVIDER_BAD_REQUEST')
    expect(text).toContain('<redacted>')
    expect(text).not.toContain(key)
  })

  it('rlm.config.json may not choose the log file (a flag may)', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'rlm.config.json'), JSON.stringify({ logFile: 'project.log', logLevel: 'info' }))
    const r = await runCli(DEMO, { cwd: dir, timeoutMs: 90_000 })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/ignored logFile from .*rlm\.config\.json/)
    expect(existsSync(join(dir, 'project.log'))).toBe(false)
    // logLevel from the project file is kept: lines on stderr.
    expect(logLines(r.stderr)[0]).toMatch(/^rlm info: run started/)
  })
})
