// The one logger: what a run logs and at which level, an injected logger, the JSON file with
// size-based rotation, the stderr default, and secrets kept out of every line.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RlmError, registerSecret } from '@rlm/errors'
import { createScripted, type LanguageModel } from '@rlm/providers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLogger, createRlm, LOG_LEVELS, type RlmLogger } from '../src/index.ts'
import { js } from './scripted.ts'

const LEVELS = ['error', 'warn', 'info', 'debug', 'trace'] as const
type Level = (typeof LEVELS)[number]
type Line = { level: Level; fields: unknown; msg: string | undefined }

/** A logger that records every call, as a library user's own logger would receive it. */
function recordingLogger(enabled: (level: string) => boolean = () => true): RlmLogger & { lines: Line[] } {
  const lines: Line[] = []
  const method = (level: Level) => (fields: unknown, msg?: string) => void lines.push({ level, fields, msg })
  return {
    lines,
    error: method('error'),
    warn: method('warn'),
    info: method('info'),
    debug: method('debug'),
    trace: method('trace'),
    isLevelEnabled: enabled,
  }
}

const tempFile = (name = 'rlm.log'): string => join(mkdtempSync(join(tmpdir(), 'rlm-log-')), name)
const jsonLines = (path: string): Array<Record<string, unknown>> =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
const PINO_LEVEL: Record<Level, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50 }

afterEach(() => {
  vi.restoreAllMocks()
})

describe('secrets never reach a log line', () => {
  it('a key in errors, causes, details, fields and messages, logged at every level, is not in the file', async () => {
    const shaped = `sk-live-${'a1b2c3d4'.repeat(3)}` // caught by its shape
    const registered = 'registered-secret-value-5f4e3d' // caught because a provider registered it
    registerSecret(registered)
    const file = tempFile()
    const logger = await createLogger({ level: 'trace', file })
    for (const level of LEVELS) {
      for (const key of [shaped, registered]) {
        const cause = new Error(`socket said Authorization: Bearer ${key}`)
        const err = new RlmError('E_PROVIDER_AUTH', `rejected key ${key}`, {
          cause,
          details: { apiKey: key },
        })
        logger[level](err)
        logger[level]({ err, request: { headers: { authorization: `Bearer ${key}` } } }, `failed with ${key}`)
        logger[level](`plain message with ${key}`)
        logger[level]({ nested: { list: [key] } }, 'fields')
        logger.child({ bound: key })[level]('from a child logger')
      }
    }
    const text = readFileSync(file, 'utf8')
    const lines = jsonLines(file)
    // Every level wrote its lines, so this test sees the key if any line kept it.
    for (const level of LEVELS) expect(lines.filter((l) => l.level === PINO_LEVEL[level])).toHaveLength(10)
    expect(text).toContain('<redacted>')
    expect(text).toContain('E_PROVIDER_AUTH')
    expect(text).toContain('"stack"')
    expect(text).not.toContain(shaped)
    expect(text).not.toContain(registered)
  })

  it('a run whose model crashes with a key in its error logs an internal error without the key', async () => {
    const key = `sk-proj-${'9z8y7x6w'.repeat(3)}`
    const crashing: LanguageModel = {
      specificationVersion: 'v1',
      provider: 'test',
      modelId: 'crash',
      contextWindow: 100_000,
      // A broken model: reading its reply's text throws something that is not an RlmError.
      generate: async () =>
        ({
          get text(): string {
            throw new TypeError(`reply parser failed near x-api-key: ${key}`)
          },
          usage: { inputTokens: 1, outputTokens: 1 },
        }) as never,
    }
    const file = tempFile()
    const logger = await createLogger({ level: 'trace', file })
    const r = await createRlm({ model: crashing, logger }).run({ query: `q ${key}`, context: 'c' })
    expect(r.error?.code).toBe('E_INTERNAL')
    const text = readFileSync(file, 'utf8')
    const internal = jsonLines(file).filter((l) => String(l.msg).startsWith('internal error'))
    expect(internal.map((l) => l.level)).toEqual([50])
    expect(internal[0]!.msg).toContain('reply parser failed near x-api-key: <redacted>')
    expect(text).toContain('run failed: E_INTERNAL')
    expect(text).not.toContain(key)
  })

  it('a user-supplied logger receives redacted errors too', async () => {
    const key = `sk-user-${'q1w2e3r4'.repeat(3)}`
    const model = createScripted(() => {
      throw new RlmError('E_PROVIDER_AUTH', `The server rejected ${key}`)
    })
    const logger = recordingLogger()
    const r = await createRlm({ model, logger }).run({ query: 'q', context: 'c' })
    expect(r.error?.code).toBe('E_PROVIDER_AUTH')
    expect(logger.lines.some((l) => l.level === 'error')).toBe(true)
    expect(JSON.stringify(logger.lines)).not.toContain(key)
  })
})

describe('what a run logs', () => {
  it('start and end at info, every event at trace, through an injected logger', async () => {
    const logger = recordingLogger()
    const model = createScripted([js('print(context.length)'), js('FINAL("done")')])
    const r = await createRlm({ model, logger }).run({ query: 'how long?', context: 'abc' })
    expect(r.answer).toBe('done')
    const info = logger.lines.filter((l) => l.level === 'info')
    expect(info.map((l) => l.msg)).toEqual(['run started', 'run ended: final'])
    expect(info[0]!.fields).toMatchObject({ runId: r.runId, query: 'how long?', contextChars: 3 })
    expect(info[1]!.fields).toMatchObject({ runId: r.runId, status: 'final', calls: 2 })
    const traced = logger.lines.filter((l) => l.level === 'trace').map((l) => l.msg)
    expect(traced).toContain('event iteration_start')
    expect(traced).toContain('event code_end')
    expect(logger.lines.filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([])
  })

  it('an exhausted budget is a warning, a failed run an error, child runs and failed sub-calls debug', async () => {
    const logger = recordingLogger()
    const model = createScripted((req) => {
      const root = req.messages[0]?.role === 'system'
      if (!root) throw new RlmError('E_PROVIDER_UNAVAILABLE', 'sub-model down')
      return js('try { await llm_query("x") } catch {}\nawait rlm_query("child task")')
    })
    const r = await createRlm({ model, logger, maxDepth: 2, budget: { maxSubCalls: 3 } }).run({
      query: 'q',
      context: 'c',
    })
    expect(r.status).toBe('budget_exhausted')
    const msgs = (level: Level) => logger.lines.filter((l) => l.level === level).map((l) => l.msg)
    expect(msgs('warn').some((m) => m?.startsWith('budget maxSubCalls exhausted'))).toBe(true)
    expect(msgs('debug')).toContain('child run started')
    expect(msgs('debug').some((m) => m?.startsWith('sub-call failed: E_PROVIDER_UNAVAILABLE'))).toBe(true)
    expect(msgs('info')).toContain('run ended: budget_exhausted')

    const failing = recordingLogger()
    const down = createScripted(() => {
      throw new RlmError('E_PROVIDER_AUTH', 'no key')
    })
    await createRlm({ model: down, logger: failing }).run({ query: 'q', context: 'c' })
    const error = failing.lines.find((l) => l.level === 'error')
    expect(error?.msg).toBe('run failed: E_PROVIDER_AUTH no key')
    expect(error?.fields).toMatchObject({ status: 'error', code: 'E_PROVIDER_AUTH' })
  })

  it('logLevel and the logger’s own isLevelEnabled both filter, before any line is built', async () => {
    const model = () => createScripted([js('FINAL("ok")')])
    const errorsOnly = recordingLogger()
    await createRlm({ model: model(), logger: errorsOnly, logLevel: 'error' }).run({ query: 'q' })
    expect(errorsOnly.lines).toEqual([])

    const infoLogger = recordingLogger((level) => level !== 'trace' && level !== 'debug')
    await createRlm({ model: model(), logger: infoLogger }).run({ query: 'q' })
    expect(infoLogger.lines.map((l) => l.level)).toEqual(['info', 'info'])

    const silent = recordingLogger()
    await createRlm({ model: model(), logger: silent, logLevel: 'silent' }).run({ query: 'q' })
    expect(silent.lines).toEqual([])
  })

  it('a listener that throws is logged once per run, as a warning', async () => {
    const logger = recordingLogger()
    const model = createScripted([js('print(1)'), js('FINAL("ok")')])
    const r = await createRlm({ model, logger }).run({
      query: 'q',
      onEvent: () => {
        throw new Error('listener bug')
      },
    })
    expect(r.answer).toBe('ok')
    const warns = logger.lines.filter((l) => l.level === 'warn')
    expect(warns).toHaveLength(1)
    expect(warns[0]!.msg).toContain('onEvent listener threw')
  })

  it('without a logger, lines at logLevel go to stderr as human lines (default warn)', async () => {
    const written: string[] = []
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk))
      return true
    })
    const down = () =>
      createScripted(() => {
        throw new RlmError('E_PROVIDER_AUTH', 'Set OPENAI_API_KEY')
      })
    await createRlm({ model: down() }).run({ query: 'q', context: 'c' })
    await createRlm({ model: down(), logLevel: 'silent' }).run({ query: 'q', context: 'c' })
    await createRlm({ model: createScripted([js('FINAL(1)')]), logLevel: 'info' }).run({ query: 'q' })
    vi.restoreAllMocks()
    const lines = written.join('').split('\n').filter(Boolean)
    expect(
      lines.filter((l) => l.startsWith('rlm error: run failed: E_PROVIDER_AUTH Set OPENAI_API_KEY')),
    ).toHaveLength(1)
    expect(lines.some((l) => l.startsWith('rlm info: run started (runId='))).toBe(true)
    expect(lines.some((l) => l.startsWith('rlm info: run ended: final ('))).toBe(true)
    expect(lines.every((l) => !l.startsWith('{'))).toBe(true)
  })
})

describe('createLogger', () => {
  it('rotates the JSON file by size, keeping maxFiles older files', async () => {
    const file = tempFile()
    const logger = await createLogger({ level: 'info', file, maxFileBytes: 2_000, maxFiles: 2 })
    for (let i = 0; i < 100; i++) logger.info({ i, pad: 'x'.repeat(50) }, `line ${i}`)
    expect(existsSync(`${file}.1`)).toBe(true)
    expect(existsSync(`${file}.2`)).toBe(true)
    expect(existsSync(`${file}.3`)).toBe(false)
    for (const f of [file, `${file}.1`, `${file}.2`])
      expect(readFileSync(f).length).toBeLessThanOrEqual(2_000)
    // Newest lines in the live file, older ones in .1 then .2, with no gap between them.
    const kept = [`${file}.2`, `${file}.1`, file].flatMap((f) => jsonLines(f).map((l) => l.i as number))
    expect(kept.at(-1)).toBe(99)
    expect(kept).toEqual(kept.map((_, k) => kept[0]! + k))
  })

  it('an unwritable log file is E_CONFIG naming the path', async () => {
    const blocker = tempFile('not-a-dir')
    await (await createLogger({ level: 'info', file: blocker })).info('makes the file')
    await expect(createLogger({ level: 'info', file: join(blocker, 'rlm.log') })).rejects.toMatchObject({
      code: 'E_CONFIG',
      message: expect.stringContaining(join(blocker, 'rlm.log')),
    })
  })

  it('the levels are silent, error, warn, info, debug, trace; config rejects a logger without them', () => {
    expect(LOG_LEVELS).toEqual(['silent', 'error', 'warn', 'info', 'debug', 'trace'])
    const model = createScripted([])
    expect(createRlm({ model, logLevel: 'trace' }).config.logLevel).toBe('trace')
    expect(() => createRlm({ model, logger: { info() {} } as never })).toThrow(
      /config\.logger: expected a logger/,
    )
  })
})
