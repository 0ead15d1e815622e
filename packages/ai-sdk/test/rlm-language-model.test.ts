import { isRlmError, RlmError } from '@rlm/errors'
import { createScripted } from '@rlm/providers'
import { generateText, streamText } from 'ai'
import { describe, expect, it } from 'vitest'
import { rlmLanguageModel } from '../src/index.ts'

const js = (code: string) => '```js\n' + code + '\n```'

describe('rlmLanguageModel', () => {
  it('generateText runs an RLM: last user message as query, other messages as context; answer, usage and summary back', async () => {
    const root = createScripted([
      js('print(context.slice(0, 400))'),
      js('FINAL("The password is swordfish.")'),
    ])
    const model = rlmLanguageModel({ model: root })
    const result = await generateText({
      model,
      system: 'You answer about the conversation.',
      messages: [
        { role: 'user', content: 'Remember: the password is swordfish.' },
        { role: 'assistant', content: 'Noted.' },
        { role: 'user', content: 'What is the password?' },
      ],
    })
    expect(result.text).toBe('The password is swordfish.')
    expect(result.finishReason).toBe('stop')
    expect(result.usage.inputTokens).toBeGreaterThan(0)
    expect(result.usage.outputTokens).toBeGreaterThan(0)
    const summary = result.providerMetadata?.rlm
    expect(summary).toMatchObject({ status: 'final', iterations: 2, subCalls: 0, calls: 2 })
    expect(typeof summary?.runId).toBe('string')
    // the query is the last user message; the earlier turns are context, not prompt
    const firstPrompt = JSON.stringify(root.requests[0]!.messages)
    expect(firstPrompt).toContain('Query: What is the password?')
    expect(firstPrompt).toContain('Documents (1): conversation')
    expect(firstPrompt).not.toContain('Query: Remember')
    expect(root.requests[1]!.messages.at(-1)!.content).toContain('user: Remember: the password is swordfish.')
  })

  it('reads text file parts and providerOptions.rlm.context as the context', async () => {
    const root = createScripted([js('FINAL(documents.map(d => d.name).join(",") + "|" + context.length)')])
    const fromFiles = await generateText({
      model: rlmLanguageModel({ model: root }),
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'file',
              mediaType: 'text/plain',
              filename: 'notes.txt',
              data: Buffer.from('hello notes'),
            },
            { type: 'text', text: 'What do the notes say?' },
          ],
        },
      ],
    })
    expect(fromFiles.text).toMatch(/^notes\.txt\|/)

    const explicit = createScripted([js('FINAL("ctx=" + context)')])
    const given = await generateText({
      model: rlmLanguageModel({ model: explicit }),
      prompt: 'What is the context?',
      providerOptions: { rlm: { context: 'abc' } },
    })
    expect(given.text).toBe('ctx=abc')
  })

  it('refuses a prompt without user text and a binary file, with E_CONFIG', async () => {
    const model = rlmLanguageModel({ model: createScripted([]) })
    await expect(
      generateText({
        model,
        maxRetries: 0,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'file', mediaType: 'image/png', data: new Uint8Array([1, 2, 3]) },
              { type: 'text', text: 'What is in it?' },
            ],
          },
        ],
      }),
    ).rejects.toSatisfy((e) => isRlmError(e) && e.code === 'E_CONFIG' && /text files only/.test(e.message))
    await expect(
      generateText({ model, maxRetries: 0, prompt: 'x', providerOptions: { rlm: { context: 42 } } }),
    ).rejects.toSatisfy((e) => isRlmError(e) && e.code === 'E_CONFIG')
  })

  it('streamText streams the answer and the run events as raw parts', async () => {
    const root = createScripted([js('print("working")'), js('FINAL("Part one.\\n\\nPart two.")')])
    const result = streamText({
      model: rlmLanguageModel({ model: root }),
      prompt: 'Go',
      includeRawChunks: true,
    })
    const raw: unknown[] = []
    let text = ''
    for await (const part of result.fullStream) {
      if (part.type === 'raw') raw.push(part.rawValue)
      if (part.type === 'text-delta') text += part.text
    }
    expect(text).toBe('Part one.\n\nPart two.')
    expect(await result.text).toBe('Part one.\n\nPart two.')
    const types = raw.map((e) => (e as { type: string }).type)
    expect(types[0]).toBe('run_start')
    expect(types).toContain('iteration_end')
    expect(types.at(-1)).toBe('run_end')
    expect((await result.providerMetadata)?.rlm).toMatchObject({ status: 'final', iterations: 2 })
    expect((await result.usage).inputTokens).toBeGreaterThan(0)
  })

  it('the abort signal cancels the run: generateText rejects and the root model is called no more', async () => {
    const controller = new AbortController()
    let calls = 0
    const root = createScripted(() => {
      calls++
      if (calls === 2) controller.abort()
      return js('print("again")')
    })
    await expect(
      generateText({
        model: rlmLanguageModel({ model: root, maxIterations: 50 }),
        prompt: 'Loop',
        abortSignal: controller.signal,
        maxRetries: 0,
      }),
    ).rejects.toMatchObject({ code: 'E_ABORTED' })
    const after = calls
    await new Promise((r) => setTimeout(r, 200))
    expect(calls).toBe(after)
    expect(calls).toBeLessThan(5)
  })

  it('a budget that ends the run gives its partial answer with finish reason length', async () => {
    const root = createScripted((req) =>
      /out of budget/.test(req.messages.at(-1)!.content) ? 'partial: best guess' : js('print("working")'),
    )
    const result = await generateText({
      model: rlmLanguageModel({ model: root, maxIterations: 2 }),
      prompt: 'q',
    })
    expect(result.text).toBe('partial: best guess')
    expect(result.finishReason).toBe('length')
    expect(result.providerMetadata?.rlm).toMatchObject({
      status: 'budget_exhausted',
      budget: 'maxIterations',
    })
  })

  it('a failed run rejects generateText and ends streamText with an error part carrying its code', async () => {
    const failing = () => createScripted([new RlmError('E_PROVIDER_AUTH', 'bad key; set OPENAI_API_KEY')])
    await expect(
      generateText({ model: rlmLanguageModel({ model: failing() }), prompt: 'q', maxRetries: 0 }),
    ).rejects.toSatisfy(
      (e) => isRlmError(e) && e.code === 'E_PROVIDER_AUTH' && /OPENAI_API_KEY/.test(e.message),
    )
    const stream = streamText({
      model: rlmLanguageModel({ model: failing() }),
      prompt: 'q',
      onError: () => {},
    })
    const errors: unknown[] = []
    for await (const part of stream.fullStream) if (part.type === 'error') errors.push(part.error)
    expect(errors).toHaveLength(1)
    expect(isRlmError(errors[0]) && errors[0].code).toBe('E_PROVIDER_AUTH')
  })
})
