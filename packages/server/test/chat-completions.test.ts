import { RlmError } from '@rlm/errors'
import { createScripted } from '@rlm/providers'
import OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { scriptedRlm, startServer } from './harness.ts'

describe('POST /v1/chat/completions with the openai SDK', () => {
  it('answers with the run: the last user message is the query, the other messages the context', async () => {
    await using s = await startServer()
    const completion = await s.client.chat.completions.create({
      model: 'rlm',
      messages: [
        { role: 'system', content: 'alpha beta\ngamma' },
        { role: 'user', content: 'How many words?' },
      ],
    })
    const choice = completion.choices[0]
    expect(choice?.message.content).toBe('answer to How many words?: 16 chars')
    expect(choice?.finish_reason).toBe('stop')
    expect(completion.object).toBe('chat.completion')
    expect(completion.model).toBe('rlm')
    // Root turns (2) and one sub-call per line (2): the whole tree's usage.
    const ext = (completion as unknown as { rlm: { run_id: string; usage: { calls: number } } }).rlm
    expect(ext.usage.calls).toBe(4)
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    )
    const run = (await (await s.api(`/v1/runs/${ext.run_id}`)).json()) as { status: string; kind: string }
    expect(run).toMatchObject({ status: 'final', kind: 'chat' })
  })

  it('reads text parts and file parts of every message as documents', async () => {
    const names = scriptedRlm({
      turns: [() => 'FINAL(documents.map((d) => d.name + "=" + (d.end - d.start)).join(","))'],
    })
    await using s = await startServer({ models: { m: names } })
    const file = Buffer.from('one two three').toString('base64')
    const completion = await s.client.chat.completions.create({
      model: 'rlm:m',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'be brief' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Which files?' },
            { type: 'file', file: { filename: 'notes.txt', file_data: `data:text/plain;base64,${file}` } },
          ],
        },
      ],
    })
    expect(completion.choices[0]?.message.content).toBe('messages[0].system=8,notes.txt=13')
  })

  it('streams progress chunks carrying the events, then the answer, the finish reason and usage', async () => {
    await using s = await startServer()
    const stream = await s.client.chat.completions.create({
      model: 'rlm',
      messages: [{ role: 'user', content: 'Count' }],
      stream: true,
      stream_options: { include_usage: true },
    })
    let content = ''
    const types: string[] = []
    let finish: string | null = null
    let usage: OpenAI.CompletionUsage | undefined
    for await (const chunk of stream) {
      const event = (chunk as unknown as { rlm?: { event?: { type: string } } }).rlm?.event
      if (event) types.push(event.type)
      content += chunk.choices[0]?.delta.content ?? ''
      finish = chunk.choices[0]?.finish_reason ?? finish
      if (chunk.usage) usage = chunk.usage
    }
    expect(content).toBe('answer to Count: 0 chars')
    expect(finish).toBe('stop')
    expect(types[0]).toBe('run_start')
    expect(types.at(-1)).toBe('run_end')
    expect(types).toContain('iteration_end')
    expect(usage?.total_tokens).toBeGreaterThan(0)
  })

  it('gives a partial answer with finish_reason length when a budget runs out', async () => {
    const looping = scriptedRlm({ turns: [() => "print('still looking')"] })
    await using s = await startServer({ models: { m: looping }, caps: { maxIterations: 2 } })
    const completion = await s.client.chat.completions.create({
      model: 'rlm',
      messages: [{ role: 'user', content: 'q' }],
    })
    expect(completion.choices[0]?.finish_reason).toBe('length')
    expect((completion as unknown as { rlm: { status: string } }).rlm.status).toBe('budget_exhausted')
  })

  it('a run that fails is an error in OpenAI shape with our code, and the SDK does not retry it', async () => {
    const failing = createScripted(
      () => new RlmError('E_PROVIDER_AUTH', 'OPENAI_API_KEY was rejected; set a valid key.'),
    )
    await using s = await startServer({ models: { m: failing }, clientOptions: { maxRetries: 3 } })
    const err = await s.client.chat.completions
      .create({ model: 'rlm', messages: [{ role: 'user', content: 'q' }] })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(OpenAI.APIError)
    expect(err).toMatchObject({ status: 502, code: 'E_PROVIDER_AUTH', type: 'server_error' })
    expect(failing.requests.length).toBe(1)
  })

  it('refuses a model that is not served, naming the ones that are', async () => {
    await using s = await startServer()
    const err = await s.client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'q' }] })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(OpenAI.BadRequestError)
    expect(err).toMatchObject({ code: 'E_CONFIG', param: 'model' })
    expect((err as Error).message).toContain('rlm, rlm:scripted')
  })

  it('refuses settings over the caps with 400 E_CONFIG naming the cap', async () => {
    await using s = await startServer({ caps: { maxDepth: 2, maxTokens: 1000 } })
    const ask = (rlm: Record<string, unknown>) =>
      s.client.chat.completions
        .create({ model: 'rlm', messages: [{ role: 'user', content: 'q' }], rlm } as never)
        .catch((e: unknown) => e)
    const deep = await ask({ max_depth: 3 })
    expect(deep).toMatchObject({ status: 400, code: 'E_CONFIG', param: 'rlm.max_depth' })
    expect((deep as Error).message).toContain(
      "over this server's cap of 2 (caps.maxDepth, rlm serve --max-depth)",
    )
    const costly = await ask({ budget: { max_tokens: 5000 } })
    expect(costly).toMatchObject({ status: 400, code: 'E_CONFIG', param: 'rlm.budget.max_tokens' })
    const unknown = await ask({ trace: '/tmp/x.jsonl' })
    expect(unknown).toMatchObject({ status: 400, code: 'E_CONFIG' })
    expect((unknown as Error).message).toContain('unknown field "trace"')
  })

  it('refuses requests without a user message, with n > 1, or with image parts', async () => {
    await using s = await startServer()
    const noUser = await s.client.chat.completions
      .create({ model: 'rlm', messages: [{ role: 'system', content: 'x' }] })
      .catch((e: unknown) => e)
    expect(noUser).toMatchObject({ status: 400, code: 'E_CONFIG', param: 'messages' })
    const many = await s.client.chat.completions
      .create({ model: 'rlm', n: 2, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e)
    expect(many).toMatchObject({ status: 400, code: 'E_CONFIG', param: 'n' })
    const image = await s.client.chat.completions
      .create({
        model: 'rlm',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://x/y.png' } }] }],
      })
      .catch((e: unknown) => e)
    expect(image).toMatchObject({ status: 400, code: 'E_CONFIG' })
  })

  it('lists rlm and rlm:<id> for each root model', async () => {
    await using s = await startServer({ models: { a: scriptedRlm(), b: scriptedRlm() } })
    const ids: string[] = []
    for await (const m of s.client.models.list()) ids.push(m.id)
    expect(ids).toEqual(['rlm', 'rlm:a', 'rlm:b'])
    expect((await s.client.models.retrieve('rlm:b')).id).toBe('rlm:b')
  })
})
