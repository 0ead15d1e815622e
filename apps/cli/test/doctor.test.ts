import { existsSync, readdirSync } from 'node:fs'
import { createOpenAICompatibleServer } from '@rlm/providers/testing'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { type CliRun, runCli, tempDir } from './run-cli.ts'
import { ERROR_LINE } from './schemas.ts'

const doctorDoc = z.object({
  status: z.enum(['ok', 'error']),
  ok: z.boolean(),
  checks: z.array(
    z.object({
      name: z.string(),
      status: z.enum(['ok', 'warn', 'fail']),
      ok: z.boolean(),
      detail: z.string(),
    }),
  ),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
})

async function doctor(args: string[], env: Record<string, string> = {}): Promise<CliRun & { dir: string }> {
  const dir = tempDir()
  return { ...(await runCli(['doctor', ...args], { cwd: dir, env })), dir }
}

const statusOf = (r: CliRun, name: string) =>
  doctorDoc.parse(JSON.parse(r.stdout)).checks.find((c) => c.name === name)?.status

describe('rlm doctor checks what run would do', { concurrent: true, timeout: 90_000 }, () => {
  it('a provider whose key is not set fails with exit 3, as run would', async () => {
    const r = await doctor(['--json'], { RLM_MODEL: 'openai:gpt-4o-mini' })
    expect(r.code).toBe(3)
    expect(statusOf(r, 'key')).toBe('fail')
    expect(doctorDoc.parse(JSON.parse(r.stdout)).error?.code).toBe('E_PROVIDER_AUTH')
    expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(ERROR_LINE)
  })

  it('a model id without a provider and an unknown provider fail with exit 2', async () => {
    const bare = await doctor(['--json', '--model', 'gpt-4o'])
    expect(bare.code).toBe(2)
    expect(statusOf(bare, 'model')).toBe('fail')
    const unknown = await doctor(['--json'], { RLM_MODEL: 'foo:bar' })
    expect(unknown.code).toBe(2)
    expect(statusOf(unknown, 'model')).toBe('fail')
    expect(doctorDoc.parse(JSON.parse(unknown.stdout)).error?.code).toBe('E_CONFIG')
    const none = await doctor([])
    expect(none.code).toBe(2)
    expect(none.stdout).toMatch(/^FAIL model/m)
  })

  it('sends one one-token request to a server that answers: all ok, exit 0', async () => {
    await using server = await createOpenAICompatibleServer({ replies: () => 'OK' })
    const r = await doctor([
      '--json',
      '--model',
      'openai-compatible:m',
      '--base-url',
      server.baseURL,
      '--cache',
    ])
    expect(r.code, r.stderr).toBe(0)
    const doc = doctorDoc.parse(JSON.parse(r.stdout))
    expect(doc.status).toBe('ok')
    expect(doc.checks.filter((c) => c.status === 'fail')).toEqual([])
    expect(statusOf(r, 'server')).toBe('ok')
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0]?.body).toMatchObject({ max_tokens: 1 })
  })

  it('a server that rejects the key fails with exit 3 after one attempt', async () => {
    await using server = await createOpenAICompatibleServer({ apiKey: 'right-key' })
    const r = await doctor(['--json', '--model', 'openai-compatible:m', '--base-url', server.baseURL], {
      RLM_API_KEY: 'wrong-key',
    })
    expect(r.code).toBe(3)
    expect(statusOf(r, 'server')).toBe('fail')
    expect(server.requests).toHaveLength(1)
    expect(r.stdout + r.stderr).not.toContain('wrong-key')
  })

  it('a rate-limited server is a warning, not a failure', async () => {
    await using server = await createOpenAICompatibleServer({ replies: () => ({ status: 429 }) })
    const r = await doctor(['--json', '--model', 'openai-compatible:m', '--base-url', server.baseURL])
    expect(r.code, r.stderr).toBe(0)
    expect(statusOf(r, 'server')).toBe('warn')
  })

  it('creates nothing: no .rlm, no cache folder, even with --cache', async () => {
    await using server = await createOpenAICompatibleServer({ replies: () => 'OK' })
    const r = await doctor(['--model', 'openai-compatible:m', '--base-url', server.baseURL, '--cache'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^ok {3}cache dir .*can be created/m)
    expect(existsSync(`${r.dir}/.rlm`)).toBe(false)
    expect(readdirSync(r.dir)).toEqual([])
  })
})
