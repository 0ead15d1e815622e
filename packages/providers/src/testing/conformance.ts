// The conformance suite a provider package runs in its own tests with one call: it starts a
// loopback server for the provider's wire format and checks replies, request mapping, error
// codes, abort, timeout and retry through rlm's reliability layer, as rlm will use the model.
import { isRlmError } from '@rlm/errors'
import { type GenerateRequest, type LanguageModel, SPECIFICATION_VERSION } from '../spec.ts'
import { wrapModel } from '../wrap-model.ts'
import { createLoopbackServer, type LoopbackServer, type LoopbackServerOptions } from './loopback-server.ts'
import { WIRE_FORMATS, type WireFormat } from './wire-formats.ts'

export interface ConformanceSettings {
  baseURL: string
  apiKey: string
  model: string
  timeoutMs: number
  /** Always 0: the suite checks single attempts; retries are rlm's layer. */
  maxRetries: number
}

export interface ConformanceOptions {
  /** The wire format the provider speaks: a built-in one or the package's own. */
  wire: 'openai' | 'anthropic' | 'groq' | WireFormat
  /** Creates the provider's model for these settings (what the package's factory does). */
  createModel(settings: ConformanceSettings): LanguageModel | Promise<LanguageModel>
  /** Model id passed to createModel (default 'conformance-model'). */
  model?: string
  /** Names of checks to leave out, with a reason in your test. */
  skip?: string[]
}

export interface ConformanceResult {
  name: string
  ok: boolean
  error?: string
}

export interface ConformanceReport {
  passed: string[]
  failed: ConformanceResult[]
  skipped: string[]
  results: ConformanceResult[]
}

interface CheckContext {
  model(server: LoopbackServer, overrides?: Partial<ConformanceSettings>): Promise<LanguageModel>
  server(options?: LoopbackServerOptions): Promise<LoopbackServer>
  modelId: string
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}
const show = (v: unknown): string => JSON.stringify(v)

async function expectCode(
  promise: Promise<unknown>,
  code: string,
  checks: { retryable?: boolean; status?: number } = {},
) {
  let err: unknown
  try {
    await promise
  } catch (e) {
    err = e
  }
  assert(err !== undefined, `expected an error with code ${code}, but the call succeeded`)
  assert(isRlmError(err), `expected an RlmError with code ${code}, got ${String(err)}`)
  assert(err.code === code, `expected code ${code}, got ${err.code}: ${err.message}`)
  if (checks.retryable !== undefined) {
    assert(err.isRetryable === checks.retryable, `${code}: expected isRetryable ${checks.retryable}`)
  }
  if (checks.status !== undefined) {
    assert(
      err.details.status === checks.status,
      `${code}: expected details.status ${checks.status}, got ${show(err.details.status)}`,
    )
  }
  assert(typeof err.details.provider === 'string', `${code}: expected details.provider to name the provider`)
  return err
}

const ask = (content = 'hello'): GenerateRequest => ({ messages: [{ role: 'user', content }] })

const CHECKS: Record<string, (c: CheckContext) => Promise<void>> = {
  'implements the spec': async (c) => {
    await using server = await c.server()
    const m = await c.model(server)
    assert(
      m.specificationVersion === SPECIFICATION_VERSION,
      `specificationVersion is ${show(m.specificationVersion)}`,
    )
    assert(typeof m.provider === 'string' && m.provider.length > 0, 'provider must be a non-empty string')
    assert(m.modelId === c.modelId, `modelId is ${show(m.modelId)}, expected ${show(c.modelId)}`)
    assert(
      m.contextWindow === undefined || m.contextWindow > 0,
      'contextWindow must be a positive number or undefined',
    )
  },
  'returns text, usage, finish reason and timing': async (c) => {
    await using server = await c.server({
      replies: [{ text: 'The answer is 42.', usage: { inputTokens: 11, outputTokens: 7 } }],
    })
    const r = await (await c.model(server)).generate(ask('What is the answer?'))
    assert(r.text === 'The answer is 42.', `text is ${show(r.text)}`)
    assert(r.usage.inputTokens === 11 && r.usage.outputTokens === 7, `usage is ${show(r.usage)}`)
    assert(r.finishReason === 'stop', `finishReason is ${show(r.finishReason)}`)
    assert(
      r.costUsd === undefined || (typeof r.costUsd === 'number' && r.costUsd >= 0),
      'costUsd must be >= 0 or undefined',
    )
    assert(r.raw !== undefined, 'raw must hold the provider response')
    assert(typeof r.timing.startedAt === 'number' && r.timing.durationMs >= 0, `timing is ${show(r.timing)}`)
  },
  'sends messages, model and options': async (c) => {
    await using server = await c.server()
    const m = await c.model(server)
    await m.generate({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'user', content: 'Count to 3.' },
      ],
      maxOutputTokens: 33,
      temperature: 0.25,
      stop: ['END'],
    })
    const got = server.requests[0]
    assert(got, 'the server got no request')
    assert(got.model === c.modelId, `model sent is ${show(got.model)}`)
    const roles = got.messages.map((x) => `${x.role}:${x.content}`)
    const want = ['system:Be brief.', 'user:Hi', 'assistant:Hello.', 'user:Count to 3.']
    assert(show(roles) === show(want), `messages sent are ${show(roles)}, expected ${show(want)}`)
    assert(got.maxOutputTokens === 33, `max output tokens sent is ${show(got.maxOutputTokens)}`)
    assert(got.temperature === 0.25, `temperature sent is ${show(got.temperature)}`)
    assert(show(got.stop) === show(['END']), `stop sent is ${show(got.stop)}`)
  },
  'maps a length finish reason': async (c) => {
    await using server = await c.server({ replies: [{ text: 'cut', finishReason: 'length' }] })
    const r = await (await c.model(server)).generate(ask())
    assert(r.finishReason === 'length', `finishReason is ${show(r.finishReason)}`)
  },
  'maps 401 to E_PROVIDER_AUTH': async (c) => {
    await using server = await c.server({ faults: [{ status: 401, message: 'Invalid API key' }] })
    await expectCode((await c.model(server)).generate(ask()), 'E_PROVIDER_AUTH', {
      retryable: false,
      status: 401,
    })
  },
  'maps 429 to E_PROVIDER_RATE_LIMIT with retry-after': async (c) => {
    await using server = await c.server({ faults: [{ status: 429, headers: { 'retry-after': '7' } }] })
    const err = await expectCode((await c.model(server)).generate(ask()), 'E_PROVIDER_RATE_LIMIT', {
      retryable: true,
      status: 429,
    })
    assert(
      err.details.retryAfterMs === 7000,
      `details.retryAfterMs is ${show(err.details.retryAfterMs)}, expected 7000`,
    )
  },
  'maps 5xx to E_PROVIDER_UNAVAILABLE': async (c) => {
    await using server = await c.server({ faults: [{ status: 503, message: 'overloaded' }] })
    await expectCode((await c.model(server)).generate(ask()), 'E_PROVIDER_UNAVAILABLE', {
      retryable: true,
      status: 503,
    })
  },
  'maps a too-long prompt to E_CONTEXT_WINDOW': async (c) => {
    const message =
      "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens."
    await using server = await c.server({ faults: [{ status: 400, message }] })
    await expectCode((await c.model(server)).generate(ask()), 'E_CONTEXT_WINDOW', {
      retryable: false,
      status: 400,
    })
  },
  'maps malformed JSON to E_PROVIDER_BAD_RESPONSE': async (c) => {
    await using server = await c.server({ faults: [{ fault: 'malformed-json' }] })
    await expectCode((await c.model(server)).generate(ask()), 'E_PROVIDER_BAD_RESPONSE')
  },
  'maps an empty answer to E_PROVIDER_BAD_RESPONSE': async (c) => {
    await using server = await c.server({ faults: [{ fault: 'empty' }] })
    await expectCode((await c.model(server)).generate(ask()), 'E_PROVIDER_BAD_RESPONSE')
  },
  'stops on abort with E_PROVIDER_ABORTED': async (c) => {
    await using server = await c.server({ faults: [{ fault: 'hang' }] })
    const m = await c.model(server)
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 30)
    const t0 = performance.now()
    await expectCode(m.generate({ ...ask(), abortSignal: controller.signal }), 'E_PROVIDER_ABORTED', {
      retryable: false,
    })
    assert(performance.now() - t0 < 2000, 'abort took longer than 2 s to take effect')
  },
  'times out with E_PROVIDER_TIMEOUT': async (c) => {
    await using server = await c.server({ faults: [{ fault: 'hang' }] })
    const m = await c.model(server, { timeoutMs: 150 })
    await expectCode(m.generate(ask()), 'E_PROVIDER_TIMEOUT', { retryable: true })
  },
  'maps a refused connection to E_PROVIDER_UNAVAILABLE': async (c) => {
    const server = await c.server()
    const m = await c.model(server)
    await server.close()
    await expectCode(m.generate(ask()), 'E_PROVIDER_UNAVAILABLE')
  },
  'is retried by rlm after 429 + retry-after': async (c) => {
    await using server = await c.server({
      faults: [{ status: 429, headers: { 'retry-after': '0' } }],
      replies: ['after retry'],
    })
    const m = wrapModel(await c.model(server), { maxRetries: 2 })
    const r = await m.generate(ask())
    assert(r.text === 'after retry', `text is ${show(r.text)}`)
    assert(server.requests.length === 2, `server got ${server.requests.length} requests, expected 2`)
  },
  'serves concurrent calls independently': async (c) => {
    await using server = await c.server({ latencyMs: 20 })
    const m = await c.model(server)
    const replies = await Promise.all(Array.from({ length: 16 }, (_, i) => m.generate(ask(`n${i}`))))
    for (const [i, r] of replies.entries()) assert(r.text === `echo: n${i}`, `call ${i} got ${show(r.text)}`)
  },
}

export const CONFORMANCE_CHECKS: readonly string[] = Object.keys(CHECKS)

/**
 * Runs every check and returns a report; throws one error listing every failure unless
 * `throwOnFailure` is false. Use it in a test: `await runConformance({ wire, createModel })`.
 */
export async function runConformance(
  options: ConformanceOptions,
  { throwOnFailure = true }: { throwOnFailure?: boolean } = {},
): Promise<ConformanceReport> {
  const wire = typeof options.wire === 'string' ? WIRE_FORMATS[options.wire] : options.wire
  const modelId = options.model ?? 'conformance-model'
  const apiKey = 'conformance-key'
  const ctx: CheckContext = {
    modelId,
    server: (o) => createLoopbackServer(wire, { apiKey, ...o }),
    async model(server, overrides) {
      const settings = {
        baseURL: server.baseURL,
        apiKey,
        model: modelId,
        timeoutMs: 5000,
        maxRetries: 0,
        ...overrides,
      }
      // As rlm uses a provider: through the reliability layer (timeout here; retries off).
      return wrapModel(await options.createModel(settings), { timeoutMs: settings.timeoutMs, maxRetries: 0 })
    },
  }
  const report: ConformanceReport = { passed: [], failed: [], skipped: [], results: [] }
  for (const [name, check] of Object.entries(CHECKS)) {
    if (options.skip?.includes(name)) {
      report.skipped.push(name)
      continue
    }
    try {
      await check(ctx)
      report.passed.push(name)
      report.results.push({ name, ok: true })
    } catch (err) {
      const result = { name, ok: false, error: err instanceof Error ? err.message : String(err) }
      report.failed.push(result)
      report.results.push(result)
    }
  }
  if (throwOnFailure && report.failed.length > 0) {
    const lines = report.failed.map((f) => `  ✗ ${f.name}: ${f.error}`).join('\n')
    throw new Error(
      `${report.failed.length} of ${report.results.length} conformance checks failed:\n${lines}`,
    )
  }
  return report
}
