// `rlm submit`, `rlm worker`, `rlm jobs` and `rlm eval --queue` end to end: the real CLI as
// subprocesses against a private redis-server and a loopback OpenAI-compatible model server.
// Slow (workers, Redis): the `queue` set, `npx -y pnpm@10 run test:queue`.
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createOpenAICompatibleServer, type LoopbackServer } from '@rlm/providers/testing'
import { type RedisServer, startRedisServer } from '@rlm/queue/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startModelServer } from './model-server.ts'
import { BIN, cleanEnv, runCli, runShell, tempDir } from './run-cli.ts'
import { ERROR_LINE } from './schemas.ts'

interface WorkerProcess {
  readonly stderr: () => string
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>
}

/** `rlm worker` as a long-running subprocess, resolved once it takes jobs. */
async function startWorker(args: string[]): Promise<WorkerProcess> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'worker', ...args], {
    cwd: tempDir(),
    env: cleanEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not start: ${stderr}`)), 60_000)
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
      if (stderr.includes('taking jobs')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.on('exit', () => reject(new Error(`the worker exited: ${stderr}`)))
  })
  return {
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM')
      return exited
    },
  }
}

/** Polls until the check holds (at most 30 s). */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await check()) return
    await new Promise((res) => setTimeout(res, 200))
  }
  throw new Error('timed out waiting for the condition')
}

let redis: RedisServer
let models: LoopbackServer
let worker: WorkerProcess
let dir: string
let file: string

beforeAll(async () => {
  redis = await startRedisServer()
  models = await startModelServer()
  dir = tempDir()
  file = join(dir, 'notes.txt')
  writeFileSync(file, 'alpha one\nbeta two\ngamma three\ndelta four\n')
  worker = await startWorker([
    '--redis',
    redis.url,
    '--concurrency',
    '4',
    '--offline',
    '--trace-dir',
    join(dir, 'traces'),
  ])
}, 120_000)

afterAll(async () => {
  await worker?.stop()
  await models?.close()
  await redis?.close()
})

const rlm = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { cwd: dir, env: { RLM_REDIS_URL: redis.url, ...env }, timeoutMs: 120_000 })

/** `rlm submit q` over the notes file to this model server. */
const submitTo = (server: LoopbackServer, ...extra: string[]) => [
  'submit',
  'q',
  '--context',
  file,
  '--model',
  `openai-compatible:m@${server.baseURL}`,
  ...extra,
]

const submitArgs = (query: string, ...extra: string[]) => [
  'submit',
  query,
  '--context',
  file,
  '--model',
  'openai-compatible:m',
  '--base-url',
  models.baseURL,
  ...extra,
]

describe('rlm submit, worker and jobs against a real redis-server', { timeout: 180_000 }, () => {
  it('submit --wait follows the job live, prints the answer and exits 0; jobs show has the result', async () => {
    const r = await rlm(submitArgs('How many lines?', '--wait'))
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe('lines: 5, first: alpha\n')
    const id = /job ([\w-]+) queued/.exec(r.stderr)?.[1] as string
    expect(r.stderr).toContain(`job ${id} active on`)
    expect(r.stderr).toContain(`job ${id} completed`)
    expect(r.stderr).toContain(`trace: ${join(dir, 'traces', `${id}.jsonl`)}`)
    const shown = await rlm(['jobs', 'show', id, '--json'])
    expect(shown.code).toBe(0)
    expect(JSON.parse(shown.stdout)).toMatchObject({
      id,
      state: 'completed',
      result: { status: 'final', answer: 'lines: 5, first: alpha' },
    })
  })

  it('submit --seed puts the seed in the job: the worker runs with it (the trace run_start)', async () => {
    const r = await rlm(submitArgs('How many lines?', '--seed', '5', '--wait'))
    expect(r.code, r.stderr).toBe(0)
    const trace = /^trace: (.+)$/m.exec(r.stderr)?.[1] as string
    const start = JSON.parse(readFileSync(trace, 'utf8').split('\n')[0] as string)
    expect(start).toMatchObject({ type: 'run_start', seed: 5 })
  })

  it('submit --context - sends stdin inline in the job', async () => {
    const r = await runShell(
      `printf 'alpha\\nbeta\\n' | rlm submit q --context - --model openai-compatible:m --base-url ${models.baseURL} --redis ${redis.url} --wait --quiet`,
      { cwd: dir, timeoutMs: 120_000 },
    )
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe('lines: 3, first: alpha\n')
  })

  it('submit prints a job id (--json too) that jobs list and jobs show then report', async () => {
    const r = await rlm(submitArgs('How many lines?', '--json'))
    expect(r.code, r.stderr).toBe(0)
    const { id } = JSON.parse(r.stdout) as { id: string }
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    const state = async () =>
      (JSON.parse((await rlm(['jobs', 'show', id, '--json'])).stdout) as { state: string }).state
    await until(async () => (await state()) === 'completed')
    const list = await rlm(['jobs', 'list', '--state', 'completed', '--json'])
    expect((JSON.parse(list.stdout) as { jobs: Array<{ id: string }> }).jobs.map((j) => j.id)).toContain(id)
    const text = await rlm(['jobs', 'show', id])
    expect(text.stdout).toMatch(/^state\s+completed/m)
    expect(text.stdout).toContain('lines: 5, first: alpha')
    const followed = await rlm(['jobs', 'show', id, '--follow'])
    expect(followed.code, followed.stderr).toBe(0)
    expect(followed.stdout).toBe('lines: 5, first: alpha\n')
    expect(followed.stderr).toContain(`job ${id} completed`)
  })

  it('submit --wait exits as rlm run would: 4 for a run that ran out of budget', async () => {
    const r = await rlm(submitArgs('How many lines?', '--wait', '--budget-tokens', '5', '--json', '--quiet'))
    expect(r.code, r.stderr).toBe(4)
    expect(JSON.parse(r.stdout)).toMatchObject({
      state: 'completed',
      result: { status: 'budget_exhausted' },
      exitCode: 4,
    })
  })

  it('submit --wait exits 3 with the error line of a job the provider refused (dead-lettered at once)', async () => {
    await using refusing = await createOpenAICompatibleServer({
      replies: () => ({ status: 401, message: 'Invalid API key' }),
    })
    const r = await rlm(submitTo(refusing, '--wait', '--json', '--quiet'))
    expect(r.code, r.stderr).toBe(3)
    expect(ERROR_LINE.exec(r.stderr)?.[1]).toBe('E_PROVIDER_AUTH')
    expect(JSON.parse(r.stdout)).toMatchObject({
      state: 'failed',
      attempts: 1,
      error: { code: 'E_PROVIDER_AUTH' },
      exitCode: 3,
    })
  })

  it('cancels a waiting job (removed) and an unknown id is E_QUEUE_NOT_FOUND (exit 2)', async () => {
    // A queue no worker serves, so the job stays waiting.
    const queue = ['--queue-name', 'nobody-serves-this']
    const r = await rlm([...submitArgs('later'), ...queue])
    const id = r.stdout.trim()
    expect((await rlm(['jobs', 'show', id, '--json', ...queue])).stdout).toContain('"state":"waiting"')
    const cancelled = await rlm(['jobs', 'cancel', id, ...queue])
    expect(cancelled.code, cancelled.stderr).toBe(0)
    expect(cancelled.stdout).toBe(`cancelled ${id}\n`)
    for (const args of [
      ['jobs', 'show', id],
      ['jobs', 'cancel', id],
      ['jobs', 'retry', 'no-such-job'],
    ]) {
      const missing = await rlm([...args, ...queue])
      expect(missing.code, args.join(' ')).toBe(2)
      expect(ERROR_LINE.exec(missing.stderr)?.[1]).toBe('E_QUEUE_NOT_FOUND')
    }
  })

  it('cancel reaches the worker running the job; retry queues the cancelled job again', async () => {
    await using looping = await createOpenAICompatibleServer({
      replies: () => ({ text: '```js\nprint("still looking")\n```', delayMs: 300 }),
    })
    const queue = ['--queue-name', 'cancels']
    const own = await startWorker(['--redis', redis.url, ...queue])
    try {
      const r = await rlm(submitTo(looping, '--max-iterations', '1000', ...queue))
      const id = r.stdout.trim()
      await until(() => looping.requests.length > 0)
      const cancelled = await rlm(['jobs', 'cancel', id, '--json', ...queue])
      expect(JSON.parse(cancelled.stdout)).toEqual({ id, action: 'cancel', ok: true })
      const state = async () => JSON.parse((await rlm(['jobs', 'show', id, '--json', ...queue])).stdout).state
      await until(async () => (await state()) === 'cancelled')
      const sent = looping.requests.length
      await new Promise((res) => setTimeout(res, 1_500))
      expect(looping.requests.length).toBeLessThanOrEqual(sent + 1) // at most the call in flight
      const retried = await rlm(['jobs', 'retry', id, ...queue])
      expect(retried.stdout).toBe(`queued ${id} again\n`)
      await until(async () => ['waiting', 'active'].includes(await state()))
      await rlm(['jobs', 'cancel', id, ...queue])
    } finally {
      await own.stop()
    }
  })

  it('a worker stopped with SIGTERM finishes its running job first, then exits 0', async () => {
    await using slow = await createOpenAICompatibleServer({
      replies: (req) => {
        const turns = req.messages.filter((m) => m.role === 'assistant').length
        return turns === 0
          ? { text: '```js\nprint(1)\n```', delayMs: 1_500 }
          : { text: '```js\nFINAL("slow done")\n```', delayMs: 1_500 }
      },
    })
    const queue = ['--queue-name', 'graceful']
    const own = await startWorker(['--redis', redis.url, ...queue])
    const r = await rlm(submitTo(slow, ...queue))
    const id = r.stdout.trim()
    for (let i = 0; i < 60 && slow.requests.length === 0; i++)
      await new Promise((res) => setTimeout(res, 100))
    expect(slow.requests.length).toBeGreaterThan(0)
    expect(await own.stop()).toBe(0)
    expect(own.stderr()).toContain('the current ones finish')
    const shown = JSON.parse((await rlm(['jobs', 'show', id, '--json', ...queue])).stdout)
    expect(shown).toMatchObject({ state: 'completed', result: { answer: 'slow done' } })
  })
})

describe('rlm eval --queue', { timeout: 300_000 }, () => {
  it('spreads the tasks over the workers and reports what a local eval reports; a rerun resumes', async () => {
    const evalArgs = ['eval', '--suite', 's-niah,oolong', '--tasks', '2', '--offline', '--json', '--quiet']
    const local = await rlm(evalArgs)
    expect(local.code, local.stderr).toBe(0)
    const results = join(dir, 'queued.jsonl')
    const queued = await rlm([...evalArgs, '--queue', '--parallel', '4', '--results', results])
    expect(queued.code, queued.stderr).toBe(0)
    type Report = { results: Array<Record<string, unknown>>; resumed: number }
    const strip = (r: Report) => r.results.map(({ durationMs: _d, finishedAt: _f, ...rest }) => rest)
    const a = JSON.parse(local.stdout) as Report
    const b = JSON.parse(queued.stdout) as Report
    expect(b.results).toHaveLength(4)
    expect(strip(b)).toEqual(strip(a))
    const resumed = await rlm([...evalArgs, '--queue', '--results', results])
    expect(resumed.code, resumed.stderr).toBe(0)
    expect((JSON.parse(resumed.stdout) as Report).resumed).toBe(4)
  })
})
