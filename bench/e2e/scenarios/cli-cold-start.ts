// Scenario 6: `rlm run` as a user starts it (the workspace launcher on a context file), timed from
// spawn to the model server seeing the first request; ideal: a bare `node -e` that sends one request.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeTextFile } from '../context-text.ts'
import { report, sample } from '../figures.ts'
import type { BenchServer } from '../model-server-process.ts'
import { js } from '../rlm-under-test.ts'

const MARKER = 'BENCH-CLI-COLD-START'
const CLI = join(import.meta.dirname, '..', '..', '..', 'tooling', 'scripts', 'rlm-workspace.mjs')

/** Spawns the command and resolves with ms from spawn to the server's first request, then its exit. */
async function timeToFirstRequest(server: BenchServer, args: string[], cwd: string): Promise<number> {
  await server.resetStats()
  const spawnedAt = performance.timeOrigin + performance.now()
  const child = spawn(process.execPath, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  })
  let output = ''
  child.stdout.on('data', (d: Buffer) => {
    output += d
  })
  child.stderr.on('data', (d: Buffer) => {
    output += d
  })
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  const stats = await server.stats()
  const first = stats.firstRequestAt
  if (code !== 0 || first == null) {
    throw new Error(
      `${args.join(' ')} exited with ${code} (${stats.requests} requests): ${output.slice(-1500)}`,
    )
  }
  return first - spawnedAt
}

export async function scenarioCliColdStart(server: BenchServer): Promise<void> {
  await server.play({ latencyMs: 0, conversations: [{ match: MARKER, turns: [js("FINAL('ok')")] }] })
  const cwd = mkdtempSync(join(tmpdir(), 'rlm-bench-cli-'))
  try {
    const file = makeTextFile(64 * 1024)
    const url = `${server.baseURL}/chat/completions`
    const bare = await sample(
      () =>
        timeToFirstRequest(
          server,
          [
            '-e',
            `require('http').request(${JSON.stringify(url)}, { method: 'POST' }).end('{"messages":[{"role":"user","content":"x"}]}')`,
          ],
          cwd,
        ),
      { runs: 5 },
    )
    const cli = await sample(
      () =>
        timeToFirstRequest(
          server,
          [
            CLI,
            'run',
            `${MARKER}: say ok`,
            '--context',
            file,
            '--model',
            'openai-compatible:bench-root',
            '--base-url',
            server.baseURL,
            '--quiet',
            '--no-cache',
            '--trace',
            join(cwd, 'trace.jsonl'),
          ],
          cwd,
        ),
      { runs: 5 },
    )
    report({
      name: '6. CLI cold start: spawn `rlm run` to first model request (ideal: bare node -e)',
      value: cli,
      unit: 'ms',
      ideal: bare.median,
    })
  } finally {
    rmSync(cwd, { recursive: true, force: true })
  }
}
