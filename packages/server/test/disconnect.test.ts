// A client that disconnects cancels its run, streaming or not, unless it asked for
// `rlm: { detach: true }`; with an Idempotency-Key, a retry that comes back in time finds its run.

import { describe, expect, it } from 'vitest'
import type { ManagedRun } from '../src/index.ts'
import { readSse } from '../src/testing/sse-reader.ts'
import { scriptedRlm, sleep, startServer, type TestServer } from './harness.ts'

const slow = () => scriptedRlm({ latencyMs: 1_500 })

function ask(
  s: TestServer,
  body: Record<string, unknown>,
  signal: AbortSignal,
  headers: Record<string, string> = {},
) {
  return fetch(`${s.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'rlm', messages: [{ role: 'user', content: 'q' }], ...body }),
    signal,
  })
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (check()) return
    await sleep(50)
  }
  throw new Error(`timed out waiting for ${what}`)
}

const onlyRun = (s: TestServer): ManagedRun => s.server.runs.list()[0] as ManagedRun

describe('client disconnects', () => {
  it('a waiting (non-streaming) client that goes away cancels its run', async () => {
    await using s = await startServer({ models: { m: slow() } })
    const client = new AbortController()
    const pending = ask(s, {}, client.signal).catch(() => 'aborted')
    await until(() => s.server.runs.list()[0]?.status === 'running', 'the run to start')
    client.abort()
    expect(await pending).toBe('aborted')
    await onlyRun(s).done
    expect(onlyRun(s)).toMatchObject({ status: 'cancelled', cancelReason: 'disconnect' })
  })

  it('a streaming client that goes away mid-stream cancels its run', async () => {
    await using s = await startServer({ models: { m: slow() } })
    const client = new AbortController()
    const res = await ask(s, { stream: true }, client.signal)
    for await (const message of readSse(res)) {
      if (JSON.parse(message.data).rlm?.event?.type === 'run_start') break
    }
    client.abort()
    await onlyRun(s).done
    expect(onlyRun(s)).toMatchObject({ status: 'cancelled', cancelReason: 'disconnect' })
  })

  it('rlm: { detach: true } keeps the run going after the client left', async () => {
    await using s = await startServer({ models: { m: slow() } })
    const client = new AbortController()
    const pending = ask(s, { rlm: { detach: true } }, client.signal).catch(() => 'aborted')
    await until(() => s.server.runs.list()[0]?.status === 'running', 'the run to start')
    client.abort()
    await pending
    await onlyRun(s).done
    expect(onlyRun(s).status).toBe('final')
  })

  it('an SDK retry with the same Idempotency-Key within the grace period gets the same run and its answer', async () => {
    await using s = await startServer({ models: { m: slow() }, reattachGraceMs: 5_000 })
    const headers = { 'idempotency-key': 'retry-1' }
    const first = new AbortController()
    const pending = ask(s, {}, first.signal, headers).catch(() => 'aborted')
    await until(() => s.server.runs.list()[0]?.status === 'running', 'the run to start')
    first.abort()
    await pending
    await sleep(200)
    const again = await ask(s, {}, new AbortController().signal, headers)
    expect(again.status).toBe(200)
    const body = (await again.json()) as {
      choices: Array<{ message: { content: string } }>
      rlm: { run_id: string }
    }
    expect(body.choices[0]?.message.content).toContain('answer to q')
    expect(body.rlm.run_id).toBe(onlyRun(s).id)
    expect(s.server.runs.list()).toHaveLength(1)
  })
})
