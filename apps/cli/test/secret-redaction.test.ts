// A model server that echoes the key in its error bodies, against the real `rlm` bin: the key
// must appear in no output (answer, --json, --events, the trace file, stderr with --verbose, the
// error line).
import { readFileSync } from 'node:fs'
import { createOpenAICompatibleServer, echoCredentials, type ReceivedRequest } from '@rlm/providers/testing'
import { describe, expect, it } from 'vitest'
import { type CliRun, runCli, tempDir } from './run-cli.ts'

const js = (code: string): string => `\`\`\`js\n${code}\n\`\`\``
const isRoot = (req: ReceivedRequest): boolean =>
  (req.messages[0]?.content ?? '').includes('Recursive Language Model')
const turn = (req: ReceivedRequest): number => req.messages.filter((m) => m.role === 'assistant').length

/** Root turns: batched and single sub-calls that the server rejects, then the answer. */
const GUEST = js(`const batch = await llm_query_batched(['a', 'b'])
let single = ''
try { await llm_query('c') } catch (e) { single = e.code + ' ' + e.message }
globalThis.seen = batch.join(' | ') + ' || ' + single
print(seen)`)

function echoingServer(rootFails = false) {
  return createOpenAICompatibleServer({
    replies: (req) =>
      rootFails || !isRoot(req)
        ? echoCredentials(req, rootFails ? 401 : 400)
        : turn(req) === 0
          ? GUEST
          : js('FINAL(seen)'),
  })
}

const traceOf = (r: CliRun): string => {
  const path = /^trace: (.+)$/m.exec(r.stderr)?.[1] ?? JSON.parse(r.stdout).trace
  return readFileSync(path, 'utf8')
}

describe('rlm keeps a key a server echoes out of every output', { concurrent: true, timeout: 90_000 }, () => {
  it.each([
    ['text with --verbose', ['--verbose']],
    ['--json', ['--json']],
    ['--events', ['--events']],
  ])('%s: stdout, stderr and the trace', async (_name, flags) => {
    const key = `cli-key-${flags[0]?.slice(2)}-7d6c5b4a39`
    await using server = await echoingServer()
    const dir = tempDir()
    const r = await runCli(['run', 'q', '--context', '-', '--model', 'openai:gpt-4o-mini', ...flags], {
      cwd: dir,
      input: 'some context\n',
      env: { OPENAI_API_KEY: key, OPENAI_BASE_URL: server.baseURL },
    })
    expect(r.code, r.stderr).toBe(0)
    // The server did echo the key and the guest got the errors, so this test can fail.
    expect(server.requests.some((q) => q.headers.authorization === `Bearer ${key}`)).toBe(true)
    expect(r.stdout).toContain('E_PROVIDER_BAD_REQUEST')
    expect(r.stdout).toContain('<redacted>')
    const trace = traceOf(r)
    expect(trace).toContain('<redacted>')
    for (const [channel, text] of Object.entries({ stdout: r.stdout, stderr: r.stderr, trace }))
      expect(text, channel).not.toContain(key)
  })

  it('the error line of a run the server rejects, with a key from --base-url settings', async () => {
    const key = 'cli-error-line-key-0a1b2c3d'
    await using server = await echoingServer(true)
    const r = await runCli(
      ['run', 'q', '--context', '-', '--model', 'openai-compatible:m', '--base-url', server.baseURL],
      { cwd: tempDir(), input: 'ctx\n', env: { RLM_API_KEY: key, RLM_DEBUG: '1' } },
    )
    expect(r.code).toBe(3)
    const line = r.stderr.split('\n').find((l) => l.startsWith('rlm: error E_PROVIDER_AUTH'))
    expect(line, r.stderr).toContain('<redacted>')
    expect(r.stderr).not.toContain(key)
    expect(traceOf(r)).not.toContain(key)
  })
})
