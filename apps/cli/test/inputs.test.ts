import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULT_IGNORES } from '@rlm/context'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { DEFAULT_IGNORES_TEXT } from '../src/program.ts'
import { type CliRun, runCli, runShell, tempDir } from './run-cli.ts'
import { ERROR_LINE } from './schemas.ts'

const MODEL_FILE = fileURLToPath(new URL('./fixtures/inputs-model.mjs', import.meta.url))
const report = z.object({
  documents: z.array(z.string()),
  length: z.number(),
  text: z.string(),
  queryLength: z.number(),
})

/** The --model flag for the reporting fixture model, relative to the run's cwd. */
const model = (cwd: string): string[] => ['--model', `./${relative(cwd, MODEL_FILE)}:m`]

const answer = (r: CliRun) => report.parse(JSON.parse(r.stdout))
const errorLine = (r: CliRun): string => r.stderr.trimEnd().split('\n').at(-1) ?? ''

describe('rlm run: where the context comes from', { concurrent: true, timeout: 90_000 }, () => {
  it('reads a piped stdin when no --context is given, and says so on stderr', async () => {
    const dir = tempDir()
    const r = await runShell(`printf 'piped text\\nline two\\n' | rlm run q ${model(dir).join(' ')}`, {
      cwd: dir,
    })
    expect(r.code, r.stderr).toBe(0)
    expect(answer(r)).toMatchObject({ documents: ['stdin'], text: 'piped text\nline two\n' })
    expect(r.stderr).toContain('rlm: reading the context from stdin (a pipe; no --context given)')
  })

  it('reads stdin redirected from a file, but never /dev/null or an inherited socket', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'notes.txt'), 'from a file\n')
    const file = await runShell(`rlm run q ${model(dir).join(' ')} < notes.txt`, { cwd: dir })
    expect(file.code, file.stderr).toBe(0)
    expect(answer(file).text).toBe('from a file\n')
    expect(file.stderr).toContain('(a file; no --context given)')
    const devNull = await runShell(`rlm run q ${model(dir).join(' ')} < /dev/null`, { cwd: dir })
    expect(devNull.code, devNull.stderr).toBe(0)
    expect(answer(devNull).length).toBe(0)
    expect(devNull.stderr).not.toContain('reading the context from stdin')
    // A Node parent's 'pipe' is a socket pair: an inherited socket is not read.
    const socket = await runCli(['run', 'q', ...model(dir)], { cwd: dir, input: 'not the context' })
    expect(socket.code, socket.stderr).toBe(0)
    expect(answer(socket).length).toBe(0)
  })

  it('fails with E_CONTEXT_EMPTY on an empty piped stdin and on an empty --context file', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'empty.txt'), '')
    const piped = await runShell(`printf '' | rlm run q ${model(dir).join(' ')}`, { cwd: dir })
    expect(piped.code).toBe(2)
    expect(errorLine(piped)).toMatch(ERROR_LINE)
    expect(errorLine(piped)).toContain('E_CONTEXT_EMPTY')
    expect(errorLine(piped)).toContain('stdin')
    const file = await runCli(['run', 'q', '--context', 'empty.txt', ...model(dir)], { cwd: dir })
    expect(file.code).toBe(2)
    expect(errorLine(file)).toContain('E_CONTEXT_EMPTY')
    expect(errorLine(file)).toContain('empty.txt')
    expect(file.stdout).toBe('')
  })

  it('reads `--context <(command)` (a FIFO) and gives up on a FIFO with no writer after --first-byte-timeout', async () => {
    const dir = tempDir()
    const sub = await runShell(
      `rlm run q ${model(dir).join(' ')} --context <(printf 'made by a command\\n')`,
      { cwd: dir },
    )
    expect(sub.code, sub.stderr).toBe(0)
    expect(answer(sub).text).toBe('made by a command\n')
    const started = Date.now()
    const lonely = await runShell(
      `mkfifo lonely && rlm run q ${model(dir).join(' ')} --context lonely --first-byte-timeout 500ms`,
      { cwd: dir },
    )
    expect(lonely.code).toBe(2)
    expect(errorLine(lonely)).toMatch(ERROR_LINE)
    expect(errorLine(lonely)).toContain('E_CONTEXT_INPUT')
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('honours the repository .gitignore above a --context folder, skips build folders, takes --ignore and --no-default-ignores', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, '.git'))
    writeFileSync(join(dir, '.gitignore'), 'secret/\n')
    for (const f of [
      'pkg/src/a.ts',
      'pkg/src/a.test.ts',
      'pkg/secret/k.txt',
      'pkg/node_modules/d/i.js',
      'pkg/dist/i.js',
    ]) {
      mkdirSync(join(dir, f, '..'), { recursive: true })
      writeFileSync(join(dir, f), `${f}\n`)
    }
    writeFileSync(join(dir, 'outside.txt'), 'outside\n')
    symlinkSync(join(dir, 'outside.txt'), join(dir, 'pkg/src/link.txt'))
    const base = await runCli(['run', 'q', '--context', 'pkg', ...model(dir)], { cwd: dir })
    expect(base.code, base.stderr).toBe(0)
    expect(answer(base).documents).toEqual(['src/a.test.ts', 'src/a.ts'])
    expect(base.stderr).toContain('W_SYMLINK_OUTSIDE_SKIPPED')
    expect(base.stderr).toContain('--follow-symlinks')
    const ignored = await runCli(
      [
        'run',
        'q',
        '--context',
        'pkg',
        '--ignore',
        '*.test.ts',
        '--no-default-ignores',
        '--follow-symlinks',
        ...model(dir),
      ],
      { cwd: dir },
    )
    expect(ignored.code, ignored.stderr).toBe(0)
    expect(answer(ignored).documents).toEqual([
      'dist/i.js',
      'node_modules/d/i.js',
      'src/a.ts',
      'src/link.txt',
    ])
  })

  it('the --no-default-ignores help lists exactly @rlm/context’s default folders', () => {
    const listed = DEFAULT_IGNORES_TEXT.replace(' and ', ', ').split(', ')
    expect(new Set(listed)).toEqual(new Set(DEFAULT_IGNORES))
  })
})

describe('rlm run --query-file', { concurrent: true, timeout: 90_000 }, () => {
  it('reads a 1 MB query from a file, which argv could not carry', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'query.txt'), `${'why '.repeat(262_144)}\n`)
    writeFileSync(join(dir, 'ctx.txt'), 'context\n')
    const r = await runCli(['run', '--query-file', 'query.txt', '--context', 'ctx.txt', ...model(dir)], {
      cwd: dir,
    })
    expect(r.code, r.stderr).toBe(0)
    expect(answer(r).queryLength).toBe('why '.repeat(262_144).trim().length)
  })

  it('reads the query from stdin with --query-file -, and then never reads stdin as the context', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'q.txt'), 'what is here?\n')
    const r = await runShell(`printf 'what is here?' | rlm run --query-file - ${model(dir).join(' ')}`, {
      cwd: dir,
    })
    expect(r.code, r.stderr).toBe(0)
    expect(answer(r)).toMatchObject({ queryLength: 'what is here?'.length, length: 0 })
    const both = await runShell(`printf 'q' | rlm run --query-file - --context - ${model(dir).join(' ')}`, {
      cwd: dir,
    })
    expect(both.code).toBe(2)
    expect(errorLine(both)).toContain('E_USAGE')
    const twice = await runCli(['run', 'q', '--query-file', 'q.txt', ...model(dir)], { cwd: dir })
    expect(twice.code).toBe(2)
    const missing = await runCli(['run', '--query-file', 'nope.txt', ...model(dir)], { cwd: dir })
    expect(missing.code).toBe(2)
    expect(errorLine(missing)).toContain('nope.txt')
  })
})
