import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { FINAL_BLOCK } from './grammars.ts'
import { tinyLlamaGguf } from './tiny-llama-model.ts'

// The rlm command of this workspace, from source (so @rlm/llama-cpp needs no build either).
const RLM = fileURLToPath(new URL('../../../tooling/scripts/rlm-workspace.mjs', import.meta.url))
const PACKAGE = fileURLToPath(new URL('..', import.meta.url))

// A user's project: @rlm/llama-cpp installed in node_modules, a model file beside the context.
let project: string
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'rlm-llama-cli-'))
  writeFileSync(join(project, 'package.json'), '{"name":"my-project","private":true,"type":"module"}')
  mkdirSync(join(project, 'node_modules', '@rlm'), { recursive: true })
  symlinkSync(PACKAGE, join(project, 'node_modules', '@rlm', 'llama-cpp'), 'dir')
  writeFileSync(join(project, 'tiny.gguf'), tinyLlamaGguf())
  writeFileSync(join(project, 'notes.txt'), 'The animal is a cat.\n'.repeat(20))
})

function rlm(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!/^RLM_|_API_KEY$/.test(k)) env[k] = v
  Object.assign(env, {
    RLM_CLI_SOURCE: '1',
    RLM_LLAMA_CPP_GPU: 'false',
    RLM_LLAMA_CPP_THREADS: '1',
    RLM_LLAMA_CPP_GRAMMAR: FINAL_BLOCK,
    XDG_CONFIG_HOME: join(project, '.xdg'),
  })
  const child = spawn(process.execPath, [RLM, ...args], {
    cwd: project,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

describe('the rlm command with --model llama-cpp:<file>', () => {
  it('runs a query through the model file named by a relative path', async () => {
    const r = await rlm([
      'run',
      'Name the animal.',
      '--context',
      'notes.txt',
      '--model',
      'llama-cpp:./tiny.gguf',
      '--quiet',
    ])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toMatch(/^[a-z]{3,8}$/)
  }, 60_000)

  it('doctor loads the model, probes it and reports the CPU backend', async () => {
    const r = await rlm(['doctor', '--model', 'llama-cpp:./tiny.gguf', '--json'])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout) as { checks: { name: string; status: string; detail: string }[] }
    const byName = Object.fromEntries(doc.checks.map((c) => [c.name, c]))
    expect(byName.server?.status).toBe('ok')
    expect(byName.backend).toMatchObject({ status: 'ok', detail: expect.stringMatching(/on CPU/) })
  }, 60_000)

  it('exits 2 with a clear message for a missing model file', async () => {
    const r = await rlm(['run', 'q', '--context', 'notes.txt', '--model', 'llama-cpp:./nope.gguf'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('No GGUF model file at')
  }, 60_000)

  it('runs rlm eval on it: each task ends in a final answer, scored (wrong: the weights are random)', async () => {
    const r = await rlm([
      'eval',
      '--suite',
      's-niah',
      '--sizes',
      '1k',
      '--tasks',
      '1',
      '--model',
      'llama-cpp:./tiny.gguf',
      '--json',
    ])
    expect(r.code).toBe(0)
    const report = JSON.parse(r.stdout) as {
      results: { status: string; prediction: string; costUsd: number }[]
    }
    expect(report.results).toHaveLength(1)
    expect(report.results[0]).toMatchObject({
      status: 'final',
      prediction: expect.stringMatching(/^[a-z]{3,8}$/),
      costUsd: 0,
    })
  }, 60_000)
})
