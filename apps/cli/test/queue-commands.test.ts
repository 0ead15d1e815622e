// `rlm submit`, `rlm worker`, `rlm jobs` and `rlm eval --queue`: flags and settings checked before
// anything reaches Redis (the end-to-end runs against a real redis-server are *.queue.test.ts).

import { writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempDir } from './run-cli.ts'
import { ERROR_LINE } from './schemas.ts'

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

function contextFile(): string {
  const file = join(tempDir(), 'notes.txt')
  writeFileSync(file, 'alpha\nbeta\n')
  return file
}

/** Runs the CLI for each argument list, a few at a time (the machine may be busy). */
async function runEach(
  all: string[][],
  env: Record<string, string> = {},
): Promise<Awaited<ReturnType<typeof runCli>>[]> {
  const out: Awaited<ReturnType<typeof runCli>>[] = []
  for (let i = 0; i < all.length; i += 3)
    out.push(
      ...(await Promise.all(all.slice(i, i + 3).map((args) => runCli(args, { env, timeoutMs: 90_000 })))),
    )
  return out
}

const SUBMIT = (file: string) => ['submit', 'q', '--context', file, '--model', 'openai:gpt-4o-mini']

describe('queue commands without a queue', { concurrent: true, timeout: 300_000 }, () => {
  it('--help lists submit, worker and jobs with their flags', async () => {
    const r = await runCli(['--help'])
    for (const cmd of ['submit', 'worker', 'jobs']) expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'))
    const worker = await runCli(['worker', '--help'])
    for (const flag of ['--redis', '--concurrency', '--rate-limit', '--trace-dir', '--lock-duration'])
      expect(worker.stdout).toContain(flag)
    const evalHelp = await runCli(['eval', '--help'])
    for (const flag of ['--queue', '--parallel', '--redis']) expect(evalHelp.stdout).toContain(flag)
  })

  it('fails with E_CONFIG naming --redis and RLM_REDIS_URL when neither is set (exit 2)', async () => {
    const file = contextFile()
    const all = [SUBMIT(file), ['worker'], ['jobs'], ['jobs', 'show', 'x']]
    for (const [i, r] of (await runEach(all)).entries()) {
      const args = all[i]!
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2)
      const line = ERROR_LINE.exec(r.stderr)
      expect(line?.[1]).toBe('E_CONFIG')
      expect(r.stderr).toContain('--redis')
      expect(r.stderr).toContain('RLM_REDIS_URL')
    }
  })

  it('refuses a Redis URL of another scheme, from the flag or the environment', async () => {
    const flag = await runCli(['jobs', '--redis', 'http://127.0.0.1:6379'])
    expect(flag.code).toBe(2)
    expect(flag.stderr).toMatch(/E_CONFIG: --redis must start with redis:\/\//)
    const env = await runCli(['jobs'], { env: { RLM_REDIS_URL: 'not a url' } })
    expect(env.code).toBe(2)
    expect(env.stderr).toMatch(/E_CONFIG: RLM_REDIS_URL is not a URL/)
  })

  it('says when Redis does not answer instead of waiting for it (E_QUEUE_REDIS, exit 5)', async () => {
    const port = await closedPort()
    const r = await runCli(['jobs', 'list', '--json'], {
      env: { RLM_REDIS_URL: `redis://127.0.0.1:${port}` },
    })
    expect(r.code).toBe(5)
    expect(r.stderr).toContain(`E_QUEUE_REDIS: Could not reach Redis at 127.0.0.1:${port}`)
    expect(JSON.parse(r.stdout)).toMatchObject({
      status: 'error',
      error: { code: 'E_QUEUE_REDIS' },
      exitCode: 5,
    })
  })

  it('checks every flag before it connects: usage errors exit 2', async () => {
    const file = contextFile()
    const env = { RLM_REDIS_URL: `redis://127.0.0.1:${await closedPort()}` }
    const cases: Array<[string[], RegExp]> = [
      [['jobs', 'frobnicate'], /unknown action 'frobnicate'/],
      [['jobs', 'show'], /rlm jobs show needs a job id/],
      [['jobs', 'list', 'x'], /takes no id/],
      [['jobs', 'cancel', 'x', '--follow'], /--follow goes with rlm jobs show/],
      [['jobs', '--state', 'done'], /--state: expected states among waiting/],
      [['jobs', '--limit', '0'], /--limit: expected a whole number/],
      [['worker', '--rate-limit', 'openai=lots'], /--rate-limit: expected <provider>=<requests>\/<window>/],
      [['worker', '--concurrency', '0'], /--concurrency: expected a whole number/],
      [['worker', '--lock-duration', 'soon'], /--lock-duration: expected a duration/],
      [['submit', 'q', '--model', 'openai:gpt-4o-mini'], /rlm submit needs --context/],
      [[...SUBMIT(file), '--cache'], /--cache \/ --no-cache is not part of a job/],
      [[...SUBMIT(file), '--seed', 'x'], /--seed: expected a whole number/],
      [['submit', 'q', '--context', file], /No model configured/],
      [['submit', 'q', '--context', file, '--model', 'openai-compatible:m'], /needs a server address/],
      [['submit', 'q', '--context', '-', '--context', file, '--model', 'openai:x'], /stand alone/],
      [
        ['eval', '--suite', 's-niah', '--offline', '--parallel', '4'],
        /--parallel spreads tasks over the queue/,
      ],
    ]
    const runs = await runEach(
      cases.map(([args]) => args),
      env,
    )
    cases.forEach(([args, message], i) => {
      const r = runs[i]!
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2)
      expect(r.stderr).toMatch(message)
    })
  })

  it('refuses a context path that does not exist here (E_CONTEXT_NOT_FOUND, exit 2)', async () => {
    const r = await runCli([
      'submit',
      'q',
      '--context',
      'nope.txt',
      '--model',
      'openai:x',
      '--redis',
      'redis://127.0.0.1:1',
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('E_CONTEXT_NOT_FOUND')
  })
})
