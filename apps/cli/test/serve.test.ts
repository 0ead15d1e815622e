// `rlm serve` as a user starts it: the real bin in a subprocess against a loopback
// OpenAI-compatible model server; wait for the URL it prints, call it, SIGTERM it, clean exit.

import { type ChildProcess, spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startModelServer } from './model-server.ts'
import { BIN, cleanEnv, runCli, tempDir } from './run-cli.ts'

interface Served {
  child: ChildProcess
  url: string
  stderr: () => string
  exit: Promise<number | null>
}

/** Starts `rlm serve <args>` on a free port and resolves once it printed its URL on stdout. */
function serve(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    cwd,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  child.stderr?.setEncoding('utf8').on('data', (d) => (stderr += d))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`rlm serve printed no URL in 30 s; stderr: ${stderr}`))
    }, 30_000)
    child.stdout?.setEncoding('utf8').on('data', (d) => {
      stdout += d
      const url = /^(http:\/\/\S+)\n/m.exec(stdout)?.[1]
      if (url) {
        clearTimeout(timer)
        resolve({ child, url, stderr: () => stderr, exit })
      }
    })
    void exit.then((code) => reject(new Error(`rlm serve exited ${code}: ${stderr}`)))
  })
}

const chat = (url: string, body: unknown) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

describe('rlm serve', { timeout: 90_000 }, () => {
  it('serves chat completions and runs, and on SIGTERM lets the run in flight finish, closes its trace, exits 0', async () => {
    await using models = await startModelServer('answer')
    const cwd = tempDir()
    const s = await serve(['--model', 'openai-compatible:m', '--base-url', models.baseURL], cwd)
    const listed = (await (await fetch(`${s.url}/v1/models`)).json()) as { data: Array<{ id: string }> }
    expect(listed.data.map((m) => m.id)).toEqual(['rlm', 'rlm:openai-compatible:m'])
    const res = await chat(s.url, {
      model: 'rlm',
      messages: [
        { role: 'system', content: 'alpha one\nbeta two' },
        { role: 'user', content: 'How many lines?' },
      ],
    })
    expect(res.status).toBe(200)
    const completion = (await res.json()) as { choices: Array<{ message: { content: string } }> }
    expect(completion.choices[0]?.message.content).toBe('lines: 2, first: alpha')
    // A run in flight when SIGTERM arrives finishes within the grace period.
    const started = await fetch(`${s.url}/v1/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'q', context: 'one\ntwo\nthree' }),
    })
    expect(started.status).toBe(201)
    s.child.kill('SIGTERM')
    expect(await s.exit).toBe(0)
    expect(s.stderr()).toContain('rlm serve: shutting down')
    expect(s.stderr()).toContain('rlm serve: stopped')
    const traces = readdirSync(join(cwd, '.rlm', 'traces'))
    expect(traces).toHaveLength(2)
    for (const name of traces) {
      const last =
        readFileSync(join(cwd, '.rlm', 'traces', name), 'utf8')
          .trim()
          .split('\n')
          .at(-1) ?? ''
      expect(JSON.parse(last)).toMatchObject({ type: 'run_end', status: 'final' })
    }
  })

  it('past --shutdown-grace, SIGTERM cancels the runs in flight, closes their traces and exits 0', async () => {
    await using models = await startModelServer('slow')
    const cwd = tempDir()
    const s = await serve(
      ['--model', 'openai-compatible:m', '--base-url', models.baseURL, '--shutdown-grace', '500ms'],
      cwd,
    )
    const started = await fetch(`${s.url}/v1/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'q', context: 'one\ntwo' }),
    })
    const { id } = (await started.json()) as { id: string }
    // Wait until the slow second turn is in flight.
    while (models.requests.filter((r) => r.messages.some((m) => m.role === 'assistant')).length === 0)
      await new Promise((r) => setTimeout(r, 50))
    s.child.kill('SIGTERM')
    expect(await s.exit).toBe(0)
    expect(s.stderr()).toContain('1 run is still going: waiting up to 0.5 s, then cancelling')
    const [trace] = readdirSync(join(cwd, '.rlm', 'traces'))
    const last =
      readFileSync(join(cwd, '.rlm', 'traces', trace as string), 'utf8')
        .trim()
        .split('\n')
        .at(-1) ?? ''
    expect(JSON.parse(last)).toMatchObject({ type: 'run_end', status: 'error', error: { code: 'E_ABORTED' } })
    expect(id).toMatch(/^run_/)
  })

  it('holds every run to the run limits given as flags, naming the flag', async () => {
    await using models = await startModelServer('answer')
    const s = await serve(
      ['--model', 'openai-compatible:m', '--base-url', models.baseURL, '--max-depth', '1', '--no-trace'],
      tempDir(),
    )
    const res = await chat(s.url, {
      model: 'rlm',
      messages: [{ role: 'user', content: 'q' }],
      rlm: { max_depth: 2 },
    })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('E_CONFIG')
    expect(body.error.message).toContain('--max-depth')
    s.child.kill('SIGTERM')
    expect(await s.exit).toBe(0)
  })

  it('refuses a public host without a token (exit 2), and needs the token it was given', async () => {
    const refused = await runCli(['serve', '--model', 'ollama:qwen2.5', '--host', '0.0.0.0', '--port', '0'])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/rlm: error E_CONFIG: Refusing to listen on 0\.0\.0\.0 without a token/)
    const token = 'cli-test-token-0123456789'
    const s = await serve(['--model', 'ollama:qwen2.5', '--host', '0.0.0.0', '--no-trace'], tempDir(), {
      RLM_SERVER_TOKEN: token,
    })
    const port = new URL(s.url).port
    expect((await fetch(`http://127.0.0.1:${port}/v1/models`)).status).toBe(401)
    const ok = await fetch(`http://127.0.0.1:${port}/v1/models`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(ok.status).toBe(200)
    s.child.kill('SIGINT')
    expect(await s.exit).toBe(0)
  })

  it('rejects bad serve flags as usage errors', async () => {
    const r = await runCli(['serve', '--model', 'ollama:qwen2.5', '--port', 'eighty'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--port: expected a whole number')
    const none = await runCli(['serve'])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('No model configured')
  })
})
