import { isRlmError } from '@rlm/errors'
import { SPECIFICATION_VERSION } from '@rlm/spec'
import { beforeAll, describe, expect, it } from 'vitest'
import { createLlamaCpp, type LlamaCppSettings } from '../src/index.ts'
import { ENDLESS, FINAL_BLOCK, WITH_STOP } from './grammars.ts'
import { writeTinyModel } from './tiny-llama-model.ts'

// One file on disk, loaded once: every model below shares it (each with its own context).
let modelPath: string
const tiny = (settings: Partial<LlamaCppSettings> = {}) =>
  createLlamaCpp({ modelPath, gpu: false, threads: 1, contextSize: 4096, ...settings })
const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] })

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise
  } catch (err) {
    if (isRlmError(err)) return { code: err.code, message: err.message }
    throw err
  }
  throw new Error('expected an RlmError, but the call succeeded')
}

beforeAll(() => {
  modelPath = writeTinyModel()
})

describe('createLlamaCpp on a real llama.cpp runtime', () => {
  it('is a spec model whose window is the context it created, within what the file declares', async () => {
    const model = await tiny({ contextSize: 2048 })
    expect(model.specificationVersion).toBe(SPECIFICATION_VERSION)
    expect(model.provider).toBe('llama-cpp')
    expect(model.modelId).toBe(modelPath)
    expect(model.contextWindow).toBeGreaterThanOrEqual(2048)
    expect(model.contextWindow).toBeLessThanOrEqual(16_384)
    expect(model.price).toEqual({ inputPerMillion: 0, outputPerMillion: 0 })
    expect(model.backend).toMatch(/^llama\.cpp prebuilt binary on CPU .*chat template General/)
  })

  it('never makes a context larger than the file says the model was trained on', async () => {
    const model = await tiny({ contextSize: 1_000_000 })
    expect(model.contextWindow).toBe(16_384)
  })

  it('answers through the grammar, counting usage with the model tokenizer', async () => {
    const model = await tiny({ grammar: FINAL_BLOCK })
    const r = await model.generate(ask('What is the answer?'))
    expect(r.text).toMatch(/^```js\nFINAL\("[a-z]{3,8}"\)\n```$/)
    expect(r.finishReason).toBe('stop')
    // Byte-level vocabulary: one token per byte of an ASCII reply (the end token is not counted).
    expect(r.usage.outputTokens).toBe(Buffer.byteLength(r.text))
    // The prompt in the plain template holds at least every byte of the question.
    expect(r.usage.inputTokens).toBeGreaterThan('What is the answer?'.length)
    expect(r.costUsd).toBe(0)
    expect(r.raw).toMatchObject({ stopReason: 'eogToken', chatWrapper: 'General' })
    expect(r.timing.durationMs).toBeGreaterThan(0)
  })

  it('stops at maxOutputTokens with finish reason length, and at a stop sequence', async () => {
    const endless = await tiny({ grammar: ENDLESS })
    const cut = await endless.generate({ ...ask('go'), maxOutputTokens: 9 })
    expect(cut).toMatchObject({ text: 'ababababa', finishReason: 'length', usage: { outputTokens: 9 } })
    const withStop = await tiny({ grammar: WITH_STOP })
    const stopped = await withStop.generate({ ...ask('go'), stop: ['END'] })
    expect(stopped.text.trim()).toBe('hello')
    expect(stopped.finishReason).toBe('stop')
  })

  it('takes the reply limit from the settings when the request has none', async () => {
    const model = await tiny({ grammar: ENDLESS, maxOutputTokens: 4 })
    expect((await model.generate(ask('go'))).text).toBe('abab')
  })

  it('stops generating on abort with E_PROVIDER_ABORTED, and the sequence serves the next call', async () => {
    const model = await tiny({ grammar: ENDLESS, contextSize: 16_384 })
    const controller = new AbortController()
    const pending = model.generate({ ...ask('go'), abortSignal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    expect((await codeOf(pending)).code).toBe('E_PROVIDER_ABORTED')
    const again = await model.generate({ ...ask('again'), maxOutputTokens: 3 })
    expect(again.text).toBe('aba')
    const before = new AbortController()
    before.abort()
    expect((await codeOf(model.generate({ ...ask('x'), abortSignal: before.signal }))).code).toBe(
      'E_PROVIDER_ABORTED',
    )
  })

  it('serves concurrent requests on their own sequences, up to parallel, and queues the rest', async () => {
    const model = await tiny({ grammar: ENDLESS, parallel: 2 })
    const replies = await Promise.all(
      [5, 7, 3].map((n) => model.generate({ ...ask(`request ${n}`), maxOutputTokens: n })),
    )
    expect(replies.map((r) => r.usage.outputTokens)).toEqual([5, 7, 3])
    expect(replies.map((r) => r.text)).toEqual(['ababa', 'abababa', 'aba'])
  })

  it('runs a second request beside a long one when parallel allows, and holds it in line when not', async () => {
    const settled = (p: Promise<unknown>) => {
      const state = { done: false }
      p.then(
        () => (state.done = true),
        () => (state.done = true),
      )
      return state
    }
    const two = await tiny({ grammar: ENDLESS, parallel: 2, contextSize: 16_384 })
    const long = new AbortController()
    const a = two.generate({ ...ask('long'), abortSignal: long.signal })
    const aState = settled(a)
    expect((await two.generate({ ...ask('short'), maxOutputTokens: 3 })).text).toBe('aba')
    expect(aState.done).toBe(false)
    long.abort()
    expect((await codeOf(a)).code).toBe('E_PROVIDER_ABORTED')

    const one = await tiny({ grammar: ENDLESS, parallel: 1, contextSize: 16_384 })
    const first = new AbortController()
    const busy = one.generate({ ...ask('long'), abortSignal: first.signal })
    const queued = one.generate({ ...ask('queued'), maxOutputTokens: 2 })
    const queuedState = settled(queued)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(queuedState.done).toBe(false)
    first.abort()
    expect((await codeOf(busy)).code).toBe('E_PROVIDER_ABORTED')
    expect((await queued).text).toBe('ab')
  })

  it('lets a request waiting for a sequence leave the line on abort', async () => {
    const model = await tiny({ grammar: ENDLESS, parallel: 1, contextSize: 16_384 })
    const first = new AbortController()
    const busy = model.generate({ ...ask('long'), abortSignal: first.signal })
    const waiting = new AbortController()
    const queued = model.generate({ ...ask('queued'), abortSignal: waiting.signal, maxOutputTokens: 2 })
    waiting.abort()
    expect((await codeOf(queued)).code).toBe('E_PROVIDER_ABORTED')
    first.abort()
    expect((await codeOf(busy)).code).toBe('E_PROVIDER_ABORTED')
    expect((await model.generate({ ...ask('next'), maxOutputTokens: 2 })).text).toBe('ab')
  })

  it('rejects a prompt beyond the window with E_CONTEXT_WINDOW, counted with the tokenizer', async () => {
    const model = await tiny({ contextSize: 512 })
    const err = await codeOf(model.generate(ask('x'.repeat(600))))
    expect(err.code).toBe('E_CONTEXT_WINDOW')
    expect(err.message).toMatch(/The prompt is \d+ tokens, and the llama\.cpp context .* holds 512/)
  })

  it('uses the chat template stored in the file', async () => {
    const chatml =
      "{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
    const withTemplate = writeTinyModel({ chatTemplate: chatml })
    const model = await createLlamaCpp({ modelPath: withTemplate, gpu: false, threads: 1, contextSize: 1024 })
    expect(model.backend).toMatch(/chat template ChatML/)
    const plain = await tiny()
    const prompt = ask('same question')
    const a = await model.generate({ ...prompt, maxOutputTokens: 1 })
    const b = await plain.generate({ ...prompt, maxOutputTokens: 1 })
    expect(a.usage.inputTokens).not.toBe(b.usage.inputTokens)
  })
})

describe('createLlamaCpp errors', () => {
  it('reports a missing file as E_CONFIG naming the path', async () => {
    const err = await codeOf(createLlamaCpp({ modelPath: '/nowhere/missing.gguf', gpu: false }))
    expect(err.code).toBe('E_CONFIG')
    expect(err.message).toContain('No GGUF model file at /nowhere/missing.gguf')
  })

  it('reports a corrupt, cut-short or foreign file as E_CONFIG saying what is wrong', async () => {
    const { writeFileSync, readFileSync } = await import('node:fs')
    const load = (bytes: Buffer) => {
      const path = writeTinyModel({}, 'bad.gguf')
      writeFileSync(path, bytes)
      return codeOf(createLlamaCpp({ modelPath: path, gpu: false }))
    }
    expect(await load(Buffer.from('GGUF this is not a model file at all'))).toMatchObject({
      code: 'E_CONFIG',
      message: expect.stringMatching(/says it is GGUF version \d+; llama\.cpp reads versions 2 and 3/),
    })
    expect(await load(Buffer.from('{"weights": []}'))).toMatchObject({
      code: 'E_CONFIG',
      message: expect.stringContaining("is not a GGUF file (it does not start with 'GGUF')"),
    })
    const cut = await load(readFileSync(modelPath).subarray(0, 60_000))
    expect(cut.code).toBe('E_CONFIG')
    // llama.cpp's own reason is in the message, and nothing of it went to stderr.
    expect(cut.message).toMatch(
      /is not a model llama\.cpp can load .*llama\.cpp said: .*not within the file bounds/,
    )
    expect(cut.message).toContain('download it again if it was cut short')
  })

  it('rejects bad settings and a bad grammar with E_CONFIG', async () => {
    const bad = await codeOf(tiny({ parallel: 0 }))
    expect(bad).toMatchObject({ code: 'E_CONFIG', message: expect.stringContaining('parallel') })
    const grammar = await codeOf(tiny({ grammar: 'root ::= "unclosed' }))
    expect(grammar).toMatchObject({ code: 'E_CONFIG', message: expect.stringContaining('not valid GBNF') })
  })
})
