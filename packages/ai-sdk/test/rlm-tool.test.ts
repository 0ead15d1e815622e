import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { LanguageModelV4GenerateResult } from '@ai-sdk/provider'
import { createScripted } from '@rlm/providers'
import { generateText, isStepCount } from 'ai'
import { MockLanguageModelV4 } from 'ai/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RlmToolInput, type RlmToolOutput, rlmTool } from '../src/index.ts'
import { reply } from './mock-models.ts'

const js = (code: string) => '```js\n' + code + '\n```'

let dir: string
let root: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rlm-ai-sdk-tool-'))
  root = join(dir, 'root')
  await mkdir(join(root, 'docs'), { recursive: true })
  await writeFile(join(root, 'docs', 'a.txt'), 'The launch date is 2031-04-05.')
  await writeFile(join(dir, 'secret.txt'), 'TOP SECRET')
  await symlink(join(dir, 'secret.txt'), join(root, 'escape.txt'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

/** Runs the tool as the SDK would; the error it throws is what the agent would see. */
async function call(t: ReturnType<typeof rlmTool>, input: RlmToolInput): Promise<RlmToolOutput> {
  return (await t.execute!(input, { toolCallId: 'c1', messages: [], context: undefined })) as RlmToolOutput
}

const readsDocs = () => createScripted([js('FINAL(documents.map(d => d.name).join(",") + ": " + context)')])

describe('rlmTool', () => {
  it('lets an agent in generateText({ tools }) delegate a question over files to an RLM', async () => {
    const toolCall: LanguageModelV4GenerateResult = {
      ...reply(''),
      content: [
        {
          type: 'tool-call',
          toolCallId: 'call-1',
          toolName: 'askDocs',
          input: JSON.stringify({ question: 'When is the launch?', paths: ['docs/a.txt'] }),
        },
      ],
      finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
    }
    const agent = new MockLanguageModelV4({ doGenerate: [toolCall, reply('The launch is on 2031-04-05.')] })
    const inner = createScripted([js('FINAL(context.match(/\\d{4}-\\d{2}-\\d{2}/)[0])')])
    const result = await generateText({
      model: agent,
      tools: { askDocs: rlmTool({ model: inner, roots: [root] }) },
      prompt: 'When is the launch?',
      stopWhen: isStepCount(3),
    })
    expect(result.text).toBe('The launch is on 2031-04-05.')
    const toolResult = result.steps[0]!.toolResults[0]!
    expect(toolResult.output).toMatchObject({ answer: '2031-04-05', status: 'final' })
    // the agent's second call saw the tool's answer
    expect(JSON.stringify(agent.doGenerateCalls[1]!.prompt)).toContain('2031-04-05')
    expect(inner.requests[0]!.messages.at(-1)!.content).toContain('When is the launch?')
  })

  it('reads paths under the roots, relative or absolute, and takes text instead of files', async () => {
    expect(
      (await call(rlmTool({ model: readsDocs(), roots: [root] }), { question: 'q', paths: ['docs/a.txt'] }))
        .answer,
    ).toBe('docs/a.txt: The launch date is 2031-04-05.')
    const absolute = await call(rlmTool({ model: readsDocs(), roots: [root] }), {
      question: 'q',
      paths: [join(root, 'docs', 'a.txt')],
    })
    expect(absolute.answer).toContain('The launch date')
    const text = createScripted([js('FINAL("got " + context)')])
    expect((await call(rlmTool({ model: text }), { question: 'q', text: 'plain text' })).answer).toBe(
      'got plain text',
    )
  })

  it.each([
    ['no roots given', undefined, 'docs/a.txt', 'E_FORBIDDEN', /without roots/],
    ['a .. segment', 'root', 'docs/../../secret.txt', 'E_FORBIDDEN', /'\.\.'/],
    ['an absolute path outside the roots', 'root', '/etc/passwd', 'E_FORBIDDEN', /outside the allowed roots/],
    ['a symlink out of the root', 'root', 'escape.txt', 'E_FORBIDDEN', /symlink/],
    ['a directory', 'root', 'docs', 'E_FORBIDDEN', /regular files/],
    ['a missing file', 'root', 'docs/none.txt', 'E_CONTEXT_NOT_FOUND', /No file/],
  ])('refuses %s', async (_, roots, path, code, message) => {
    const model = readsDocs()
    const t = rlmTool({ model, ...(roots ? { roots: [root] } : {}) })
    await expect(call(t, { question: 'q', paths: [path] })).rejects.toSatisfy(
      (e: { code?: string; message?: string }) => e.code === code && message.test(e.message ?? ''),
    )
    expect(model.requests).toHaveLength(0)
  })

  it('caps the bytes one call reads', async () => {
    const t = rlmTool({ model: readsDocs(), roots: [root], maxBytes: 10 })
    await expect(call(t, { question: 'q', paths: ['docs/a.txt'] })).rejects.toMatchObject({
      code: 'E_CONTEXT_TOO_LARGE',
    })
  })

  it('its input schema takes paths or text, not both', async () => {
    const t = rlmTool({ model: readsDocs(), roots: [root] })
    const schema = t.inputSchema as unknown as { safeParse(v: unknown): { success: boolean } }
    expect(schema.safeParse({ question: 'q', paths: ['a'], text: 'b' }).success).toBe(false)
    expect(schema.safeParse({ question: '' }).success).toBe(false)
    expect(schema.safeParse({ question: 'q', text: 'b' }).success).toBe(true)
  })
})
