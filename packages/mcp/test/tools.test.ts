import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { PROGRESS_META_KEY, TRACE_MIME_TYPE } from '../src/index.ts'
import { call, connect, scriptedModels, tempDir, text, toolError, workspace } from './mcp-harness.ts'

const FILES = {
  'src/a.ts': 'export const a = 1\n// needle one\n',
  'src/b.ts': 'line 1\nline 2\nline 3 needle two\n',
  'README.md': '# Project\n\nno match here\n',
}

describe('tools/list', () => {
  it('lists rlm_ask, context_search and context_describe with descriptions and input schemas', async () => {
    await using c = await connect({ engine: scriptedModels(), roots: [workspace(FILES)] })
    const { tools } = await c.client.listTools()
    expect(tools.map((t) => t.name).sort()).toEqual(['context_describe', 'context_search', 'rlm_ask'])
    const ask = tools.find((t) => t.name === 'rlm_ask')
    expect(ask?.description).toMatch(/larger than your context window/)
    expect(ask?.inputSchema.required).toEqual(['question'])
    expect(Object.keys(ask?.inputSchema.properties ?? {})).toEqual([
      'question',
      'paths',
      'text',
      'budget',
      'maxDepth',
    ])
    const search = tools.find((t) => t.name === 'context_search')
    expect(search?.inputSchema.required).toEqual(['paths', 'pattern'])
    expect(Object.keys(search?.inputSchema.properties ?? {})).toEqual([
      'paths',
      'pattern',
      'ignoreCase',
      'limit',
    ])
    for (const t of tools) {
      expect(t.outputSchema?.type).toBe('object')
      expect(t.description?.length).toBeGreaterThan(100)
    }
  })
})

describe('context_describe and context_search', () => {
  it('describes a folder: size, tokens, documents (largest first) and the shape text', async () => {
    const root = workspace(FILES)
    await using c = await connect({ engine: scriptedModels(), roots: [root] })
    const r = await call(c.client, 'context_describe', { paths: ['.'] })
    expect(r.isError).toBeFalsy()
    const s = r.structuredContent as Record<string, unknown> & {
      documents: { file: string; lines: number }[]
    }
    expect(s.documentCount).toBe(3)
    expect(s.estimatedTokens).toBeGreaterThan(0)
    expect(s.documents[0]).toMatchObject({ file: join(root, 'src/a.ts'), lines: 2 })
    expect(text(r)).toContain('Documents (3)')
  })

  it('finds hits with their file and their line in that file', async () => {
    const root = workspace(FILES)
    await using c = await connect({ engine: scriptedModels(), roots: [root] })
    const r = await call(c.client, 'context_search', {
      paths: ['src', 'README.md'],
      pattern: 'NEEDLE \\w+',
      ignoreCase: true,
    })
    expect(r.isError).toBeFalsy()
    expect(r.structuredContent).toMatchObject({
      hits: [
        { file: join(root, 'src/a.ts'), line: 2, text: 'needle one' },
        { file: join(root, 'src/b.ts'), line: 3, text: 'needle two' },
      ],
      truncated: false,
      filesSearched: 3,
    })
    expect(text(r)).toContain(`${join(root, 'src/b.ts')}:3: line 3 needle two`)
  })

  it('says when there are more hits than the limit', async () => {
    await using c = await connect({ engine: scriptedModels(), roots: [workspace(FILES)] })
    const r = await call(c.client, 'context_search', { paths: ['.'], pattern: 'line', limit: 2 })
    expect(r.structuredContent).toMatchObject({ truncated: true })
    expect((r.structuredContent as { hits: unknown[] }).hits).toHaveLength(2)
  })

  it('a pattern the linear-time engine refuses is a tool error with E_BAD_PATTERN', async () => {
    await using c = await connect({ engine: scriptedModels(), roots: [workspace(FILES)] })
    const r = await call(c.client, 'context_search', { paths: ['.'], pattern: '(a)\\1' })
    expect(toolError(r).code).toBe('E_BAD_PATTERN')
  })
})

describe('roots', () => {
  it('refuses absolute paths, .. and symlinks that lead outside the roots, with E_OUTSIDE_ROOTS', async () => {
    const root = workspace(FILES)
    const outside = workspace({ 'secret.txt': 'needle secret\n' })
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'))
    symlinkSync(outside, join(root, 'linkdir'))
    await using c = await connect({ engine: scriptedModels(), roots: [root] })
    for (const path of [
      join(outside, 'secret.txt'),
      '../',
      `../${outside.split('/').pop()}/secret.txt`,
      'link.txt',
      'linkdir',
    ]) {
      const r = await call(c.client, 'context_search', { paths: [path], pattern: 'needle' })
      const e = toolError(r)
      expect(e.code, path).toBe('E_OUTSIDE_ROOTS')
      expect(e.message).toContain(root)
      expect(text(r)).not.toContain('needle secret')
    }
    const ask = await call(c.client, 'rlm_ask', { question: 'q', paths: ['link.txt'] })
    expect(toolError(ask).code).toBe('E_OUTSIDE_ROOTS')
  })

  it('a folder walk inside a root skips a symlinked file that leads outside (its text is never read)', async () => {
    const root = workspace(FILES)
    const outside = workspace({ 'secret.txt': 'needle secret\n' })
    symlinkSync(join(outside, 'secret.txt'), join(root, 'src', 'leak.ts'))
    await using c = await connect({ engine: scriptedModels(), roots: [root] })
    const r = await call(c.client, 'context_search', { paths: ['.'], pattern: 'needle' })
    expect(JSON.stringify(r)).not.toContain('needle secret')
    expect((r.structuredContent as { hits: unknown[] }).hits).toHaveLength(2)
    const d = await call(c.client, 'context_describe', { paths: ['.'] })
    expect((d.structuredContent as { warnings: { code: string }[] }).warnings.map((w) => w.code)).toContain(
      'W_SYMLINK_OUTSIDE_SKIPPED',
    )
  })

  it('a missing path is E_CONTEXT_NOT_FOUND naming the roots', async () => {
    const root = workspace(FILES)
    await using c = await connect({ engine: scriptedModels(), roots: [root] })
    const e = toolError(await call(c.client, 'context_describe', { paths: ['nope.txt'] }))
    expect(e).toMatchObject({ code: 'E_CONTEXT_NOT_FOUND' })
    expect(e.message).toContain(root)
  })

  it('without --root and without client roots, every path is refused and the message says how to add one', async () => {
    await using c = await connect({ engine: scriptedModels() })
    const e = toolError(await call(c.client, 'context_describe', { paths: [tempDir()] }))
    expect(e.code).toBe('E_OUTSIDE_ROOTS')
    expect(e.message).toMatch(/no roots.*--root/)
  })

  it("uses the client's MCP roots when the server has none, and follows roots/list_changed", async () => {
    const first = workspace(FILES)
    const second = workspace({ 'notes.txt': 'needle three\n' })
    await using c = await connect({ engine: scriptedModels() }, [first])
    const ok = await call(c.client, 'context_search', { paths: [join(first, 'src')], pattern: 'needle' })
    expect((ok.structuredContent as { hits: unknown[] }).hits).toHaveLength(2)
    expect(
      toolError(await call(c.client, 'context_search', { paths: [second], pattern: 'needle' })).code,
    ).toBe('E_OUTSIDE_ROOTS')
    c.roots.splice(0, 1, second)
    await c.rootsChanged()
    await expect
      .poll(
        async () =>
          (await call(c.client, 'context_search', { paths: ['notes.txt'], pattern: 'needle' })).isError,
      )
      .toBeFalsy()
    expect(
      toolError(await call(c.client, 'context_search', { paths: [first], pattern: 'needle' })).code,
    ).toBe('E_OUTSIDE_ROOTS')
  })

  it('server roots win over the client roots', async () => {
    const server = workspace(FILES)
    const client = workspace({ 'notes.txt': 'needle\n' })
    await using c = await connect({ engine: scriptedModels(), roots: [server] }, [client])
    expect(
      toolError(await call(c.client, 'context_search', { paths: [client], pattern: 'needle' })).code,
    ).toBe('E_OUTSIDE_ROOTS')
  })
})

describe('bad arguments are tool errors with E_USAGE, not protocol errors', () => {
  it.each([
    ['rlm_ask', {}, /question: /],
    ['rlm_ask', { question: 'q', paths: 'src' }, /paths: /],
    ['rlm_ask', { question: 'q', text: 't', budget: { maxCostUsd: -1 } }, /budget\.maxCostUsd: /],
    ['rlm_ask', { question: 'q', text: 't', extra: 1 }, /arguments: .*extra/],
    ['context_search', { paths: ['.'] }, /pattern: /],
    ['context_search', { paths: ['.'], pattern: 'x', limit: 0 }, /limit: /],
    ['context_describe', { paths: [] }, /paths: /],
  ])('%s %j', async (name, args, message) => {
    await using c = await connect({ engine: scriptedModels(), roots: [workspace(FILES)] })
    const e = toolError(await call(c.client, name, args))
    expect(e.code).toBe('E_USAGE')
    expect(e.message).toMatch(message)
  })

  it('rlm_ask with nothing to read says to pass paths or text', async () => {
    await using c = await connect({ engine: scriptedModels(), roots: [workspace(FILES)] })
    const e = toolError(await call(c.client, 'rlm_ask', { question: 'what?' }))
    expect(e).toMatchObject({ code: 'E_USAGE', message: expect.stringMatching(/paths.*text/) })
  })

  it('an unknown tool is a protocol error naming the tools', async () => {
    await using c = await connect({ engine: scriptedModels(), roots: [workspace(FILES)] })
    await expect(call(c.client, 'rlm_nope', {})).rejects.toThrow(/rlm_ask, context_search, context_describe/)
  })
})

describe('rlm_ask', () => {
  it('answers with the status, usage, trace path and trace URI, and reports progress while it runs', async () => {
    const root = workspace(FILES)
    const traceDir = join(tempDir(), 'traces')
    const models = scriptedModels()
    await using c = await connect({ engine: models, roots: [root], traceDir, progressIntervalMs: 0 })
    const progress: { progress: number; message?: string; _meta?: Record<string, unknown> }[] = []
    const r = (await c.client.callTool(
      { name: 'rlm_ask', arguments: { question: 'How many needles?', paths: ['src'] } },
      undefined,
      {
        onprogress: (p) => progress.push(p),
      },
    )) as CallToolResult
    expect(r.isError).toBeFalsy()
    const s = r.structuredContent as Record<string, unknown> & { trace: string; traceUri: string }
    expect(s).toMatchObject({ answer: 'needles: 2', status: 'final', iterations: 2, subCalls: 2 })
    expect(s.usage).toMatchObject({ calls: 4 })
    expect(text(r).split('\n')[0]).toBe('needles: 2')
    expect(s.trace.startsWith(traceDir)).toBe(true)
    expect(existsSync(s.trace)).toBe(true)
    expect(r.content).toContainEqual(expect.objectContaining({ type: 'resource_link', uri: s.traceUri }))
    // the sub-model saw the hits from the files under src/
    expect(models.subModel.requests.map((q) => q.messages.at(-1)?.content).sort()).toEqual([
      'about needle',
      'about needle',
    ])

    expect(progress.length).toBeGreaterThan(2)
    const values = progress.map((p) => p.progress)
    expect(values).toEqual([...values].sort((a, b) => a - b))
    expect(new Set(values).size).toBe(values.length)
    expect(progress.at(-1)?.message).toMatch(
      /^2 iterations · 2 sub-calls done, 0 in flight · [\d,]+ tokens · \$0$/,
    )
    expect(progress.at(-1)?._meta?.[PROGRESS_META_KEY]).toMatchObject({
      iterations: 2,
      subCallsDone: 2,
      subCallsInFlight: 0,
    })

    const { resources } = await c.client.listResources()
    expect(resources).toContainEqual(expect.objectContaining({ uri: s.traceUri, mimeType: TRACE_MIME_TYPE }))
    const read = await c.client.readResource({ uri: s.traceUri })
    const body = read.contents[0] as { text: string }
    expect(body.text).toBe(readFileSync(s.trace, 'utf8'))
    expect(body.text.trim().split('\n').at(-1)).toContain('"type":"run_end"')
  })

  it('reads inline text alone, and text beside paths as one more document', async () => {
    const root = workspace(FILES)
    await using c = await connect({ engine: () => scriptedModels(), roots: [root] })
    const alone = await call(c.client, 'rlm_ask', { question: 'q', text: 'needle a\nneedle b\nneedle c' })
    expect(alone.structuredContent).toMatchObject({ answer: 'needles: 3', trace: null, traceUri: null })
    const both = await call(c.client, 'rlm_ask', { question: 'q', text: 'needle z', paths: ['src/a.ts'] })
    expect(both.structuredContent).toMatchObject({ answer: 'needles: 2' })
  })

  it('a trace URI this session did not make cannot be read', async () => {
    await using c = await connect({ engine: scriptedModels(), roots: [workspace(FILES)] })
    await expect(c.client.readResource({ uri: 'rlm://traces/../../etc/passwd' })).rejects.toThrow(/E_TRACE/)
  })

  it('a budget or depth over the server limit is E_CONFIG naming the limit; within it, it applies', async () => {
    const root = workspace(FILES)
    const engine = () => ({
      ...scriptedModels(),
      maxDepth: 1,
      budget: { maxSubCalls: 50, maxWallTimeMs: 60_000 },
    })
    await using c = await connect({ engine, roots: [root] })
    const over = [
      [{ budget: { maxSubCalls: 51 } }, /budget\.maxSubCalls 51 .* limit of 50/],
      [{ budget: { maxWallTimeMs: 120_000 } }, /budget\.maxWallTimeMs 120000 .* limit of 60000/],
      [{ maxDepth: 2 }, /maxDepth 2 .* limit of 1/],
    ] as const
    for (const [extra, message] of over) {
      const e = toolError(await call(c.client, 'rlm_ask', { question: 'q', paths: ['src'], ...extra }))
      expect(e.code).toBe('E_CONFIG')
      expect(e.message).toMatch(message)
    }
    const within = await call(c.client, 'rlm_ask', {
      question: 'q',
      paths: ['src'],
      budget: { maxSubCalls: 1 },
    })
    expect(within.isError).toBeFalsy()
    expect(within.structuredContent).toMatchObject({ status: 'budget_exhausted', budget: 'maxSubCalls' })
    expect(text(within)).toMatch(/Partial answer: the maxSubCalls budget ran out/)
  })

  it('when the engine config cannot be made (no model), rlm_ask answers that error and the other tools work', async () => {
    const { RlmError } = await import('@rlm/errors')
    const engine = () => {
      throw new RlmError('E_USAGE', 'No model configured: pass --model <provider:model>.')
    }
    await using c = await connect({ engine, roots: [workspace(FILES)] })
    expect(toolError(await call(c.client, 'rlm_ask', { question: 'q', paths: ['.'] }))).toMatchObject({
      code: 'E_USAGE',
      message: expect.stringContaining('No model configured'),
    })
    expect((await call(c.client, 'context_search', { paths: ['.'], pattern: 'needle' })).isError).toBeFalsy()
  })

  it('a run that fails is a tool error with the run code, and still carries its structured result', async () => {
    const { RlmError } = await import('@rlm/errors')
    const model = createScripted(
      () => new RlmError('E_PROVIDER_AUTH', 'The key sk-live-1234567890 was rejected: set OPENAI_API_KEY.'),
    )
    await using c = await connect({ engine: { model }, roots: [workspace(FILES)] })
    const r = await call(c.client, 'rlm_ask', { question: 'q', paths: ['.'] })
    expect(toolError(r).code).toBe('E_PROVIDER_AUTH')
    expect(r.structuredContent).toMatchObject({ status: 'error', error: { code: 'E_PROVIDER_AUTH' } })
  })
})

describe('cancellation', () => {
  it('cancelling the request aborts the run: in-flight sub-calls are aborted and no model call starts after it', async () => {
    const root = workspace({ 'log.txt': Array.from({ length: 40 }, (_, i) => `needle ${i}`).join('\n') })
    const traceDir = tempDir()
    const js = (code: string): string => `\`\`\`js\n${code}\n\`\`\``
    const model = createScripted([
      js("const said = await llm_query_batched(search('needle').map((h) => h.text))\nprint(said.length)"),
      js("FINAL('too late')"),
    ])
    let aborted = 0
    const subModel = createScripted(
      (request) =>
        new Promise((_resolve, reject) => {
          request.abortSignal?.addEventListener('abort', () => {
            aborted++
            reject(new Error('aborted'))
          })
        }),
    )
    await using c = await connect({
      engine: { model, subModel, concurrency: 4 },
      roots: [root],
      traceDir,
      progressIntervalMs: 0,
    })
    const controller = new AbortController()
    const pending = c.client.callTool(
      { name: 'rlm_ask', arguments: { question: 'q', paths: ['log.txt'] } },
      undefined,
      {
        signal: controller.signal,
        onprogress: () => {},
      },
    )
    pending.catch(() => {})
    await expect.poll(() => subModel.requests.length).toBe(4)
    controller.abort('the user changed their mind')
    await expect(pending).rejects.toThrow()
    await expect.poll(() => aborted).toBe(4)
    await new Promise((r) => setTimeout(r, 1000))
    expect(subModel.requests).toHaveLength(4)
    expect(model.requests).toHaveLength(1)
    await expect
      .poll(() => {
        const file = readdirSync(traceDir).find((n) => n.endsWith('.jsonl'))
        return file ? readFileSync(join(traceDir, file), 'utf8') : ''
      })
      .toMatch(/"type":"run_end".*"code":"E_ABORTED"/)
  })
})

describe('results are redacted', () => {
  it('a key that a server echoed never reaches the client', async () => {
    process.env.RLM_API_KEY = 'sk-test-secret-value-123456'
    try {
      const model = createScripted([`\`\`\`js\nFINAL('the key is sk-test-secret-value-123456')\n\`\`\``])
      await using c = await connect({ engine: { model }, roots: [workspace(FILES)] })
      const r = await call(c.client, 'rlm_ask', { question: 'q', text: 'x' })
      expect(JSON.stringify(r)).not.toContain('sk-test-secret-value-123456')
      expect(text(r)).toContain('<redacted>')
    } finally {
      delete process.env.RLM_API_KEY
    }
  })
})

describe('run slots', () => {
  it('runs at most maxConcurrentRuns at once: the next call waits (with a progress note), a waiting call can be cancelled', async () => {
    let open!: () => void
    const gate = new Promise<void>((resolve) => {
      open = resolve
    })
    const model = createScripted(() => "```js\nconst said = await llm_query('x')\nFINAL(said)\n```")
    const subModel = createScripted(async () => {
      await gate
      return 'done'
    })
    await using c = await connect({ engine: { model, subModel }, roots: [tempDir()], maxConcurrentRuns: 1 })
    const notes: string[] = []
    const ask = (onprogress?: (p: { message?: string }) => void, signal?: AbortSignal) =>
      c.client.callTool({ name: 'rlm_ask', arguments: { question: 'q', text: 't' } }, undefined, {
        ...(onprogress && { onprogress }),
        ...(signal && { signal }),
      }) as Promise<CallToolResult>
    const first = ask()
    await expect.poll(() => subModel.requests.length, { timeout: 15_000 }).toBe(1)
    const second = ask((p) => notes.push(p.message ?? ''))
    const controller = new AbortController()
    const third = ask(() => {}, controller.signal)
    third.catch(() => {})
    await expect
      .poll(() => notes[0], { timeout: 15_000 })
      .toMatch(/^waiting for a run slot: 1 rlm_ask runs in progress/)
    controller.abort('no longer needed')
    await expect(third).rejects.toThrow()
    await new Promise((r) => setTimeout(r, 300))
    expect(model.requests).toHaveLength(1) // neither waiting run has started
    open()
    expect((await first).structuredContent).toMatchObject({ status: 'final', answer: 'done' })
    expect((await second).structuredContent).toMatchObject({ status: 'final', answer: 'done' })
    expect(model.requests).toHaveLength(2) // the cancelled call never ran
  })
})
