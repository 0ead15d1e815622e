// Traces hold excerpts of the context and the prompts: private files, off on request, pruned
// after the retention. Through createRlm with a scripted model.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm, isTraceFileName, traceFileName } from '../src/index.ts'
import { js } from './scripted.ts'

const finalModel = () => createScripted([js('FINAL("done")')])
const tempDir = () => mkdtempSync(join(tmpdir(), 'rlm-trace-'))
const DAY_MS = 86_400_000

function age(path: string, days: number): void {
  const t = new Date(Date.now() - days * DAY_MS)
  utimesSync(path, t, t)
}

describe.skipIf(process.platform === 'win32')('trace files are private', () => {
  it('creates the trace 0600 in directories created 0700', async () => {
    const dir = join(tempDir(), 'a', 'traces')
    const trace = join(dir, 'run.jsonl')
    const r = await createRlm({ model: finalModel() }).run({ query: 'q', context: 'secret context', trace })
    expect(r.answer).toBe('done')
    expect(statSync(trace).mode & 0o777).toBe(0o600)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(statSync(join(dir, '..')).mode & 0o777).toBe(0o700)
  })
})

describe('trace: false', () => {
  it('as a run option overrides the configured trace; as config writes none', async () => {
    const dir = tempDir()
    const configured = join(dir, 'configured.jsonl')
    const r = await createRlm({ model: finalModel(), trace: configured }).run({
      query: 'q',
      context: 'c',
      trace: false,
    })
    expect(r.status).toBe('final')
    expect(existsSync(configured)).toBe(false)
    await createRlm({ model: finalModel(), trace: false }).run({ query: 'q', context: 'c' })
    expect(readdirSync(dir)).toEqual([])
  })

  it('anything but a path or false is a config error naming the key', () => {
    expect(() => createRlm({ model: finalModel(), trace: true as never })).toThrow(/config\.trace/)
  })
})

describe('traceRetentionDays', () => {
  it('deletes trace files rlm named once older than the retention, and nothing else', async () => {
    const dir = tempDir()
    const old = join(dir, traceFileName('run', new Date(Date.now() - 40 * DAY_MS)))
    const oldViewer = old.replace(/\.jsonl$/, '.html')
    const young = join(dir, traceFileName('demo'))
    const foreign = join(dir, 'notes-20200101-000000-abcdef.txt')
    const userTrace = join(dir, 'my-trace.jsonl')
    const directory = join(dir, traceFileName('run'))
    mkdirSync(directory)
    age(directory, 40)
    for (const f of [old, oldViewer, young, foreign, userTrace]) {
      writeFileSync(f, '{}\n')
      if (f !== young) age(f, 40)
    }
    await createRlm({ model: finalModel() }).run({
      query: 'q',
      context: 'c',
      trace: join(dir, traceFileName()),
    })
    const left = readdirSync(dir)
    expect(left).not.toContain(old.split('/').pop())
    expect(left).not.toContain(oldViewer.split('/').pop())
    for (const kept of [young, foreign, userTrace, directory]) expect(left).toContain(kept.split('/').pop())
  })

  it('keeps everything when 0, and honours a shorter retention', async () => {
    const dir = tempDir()
    const tenDays = join(dir, traceFileName('run'))
    writeFileSync(tenDays, '{}\n')
    age(tenDays, 10)
    const run = (traceRetentionDays: number) =>
      createRlm({ model: finalModel(), traceRetentionDays }).run({
        query: 'q',
        context: 'c',
        trace: join(dir, traceFileName()),
      })
    await run(0)
    expect(existsSync(tenDays)).toBe(true)
    await run(30)
    expect(existsSync(tenDays)).toBe(true)
    await run(7)
    expect(existsSync(tenDays)).toBe(false)
  })

  it('names traces so they can be recognised, and rejects a negative retention', () => {
    expect(isTraceFileName(traceFileName('run', new Date('2026-01-02T03:04:05Z')))).toBe(true)
    expect(traceFileName('run', new Date('2026-01-02T03:04:05Z'))).toMatch(
      /^run-20260102-030405-[0-9a-f]{6}\.jsonl$/,
    )
    expect(isTraceFileName('trace.jsonl')).toBe(false)
    expect(() => createRlm({ model: finalModel(), traceRetentionDays: -1 })).toThrow(/traceRetentionDays/)
  })
})
