// Runs each example's documented offline command — read from its README, as a reader would copy
// it — and compares the output with what the README states, so an example can neither print a
// wrong answer nor drift from its README unnoticed.

import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { type CliRun, cleanEnv, tempDir } from './run-cli.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

interface Example {
  dir: string
  /**
   * How the answer relates to the README's first ```text block: the same text, or starting with
   * it, or (for output that follows the code of the day) a line for the same package.
   */
  stdout: 'equals' | 'starts with' | 'same package line'
  /** Quoted in the README too; stderr must contain it. */
  stderr: string
  more?: (stdout: string) => void
}

const EXAMPLES: Example[] = [
  { dir: 'basic-demo', stdout: 'equals', stderr: 'final · 5 iterations · 34 sub-calls · 1 child RLM' },
  {
    dir: 'multi-document-qa',
    stdout: 'equals',
    stderr: 'final · 2 iterations · 3 sub-calls',
  },
  {
    dir: 'book-summarization',
    stdout: 'starts with',
    stderr: 'final · 2 iterations · 25 sub-calls',
    more: (out) =>
      expect(out.match(/and nothing in the village was the same afterwards\./g)).toHaveLength(24),
  },
  {
    dir: 'codebase-analysis',
    stdout: 'same package line',
    stderr: 'final · 2 iterations',
    more: (out) => {
      const lines = out.trim().split('\n')
      for (const line of lines) expect(line).toMatch(/^[a-z-]+: E_[A-Z_]+(, E_[A-Z_]+)*$/)
      const packages = lines.map((l) => l.slice(0, l.indexOf(':')))
      expect(packages).toEqual([...packages].sort())
      expect(packages).toEqual(expect.arrayContaining(['cli', 'context', 'engine', 'providers', 'sandbox']))
    },
  },
]

/** The commands of the README's first ```sh block before its "# live" comment, joined lines. */
function offlineCommands(readme: string): string[] {
  const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
  const commands: string[] = []
  for (const raw of block.replace(/\\\n\s*/g, ' ').split('\n')) {
    const line = raw.trim()
    if (/^#\s*live\b/i.test(line)) break
    const command = line.replace(/\s+#.*$/, '').trim()
    if (command && !command.startsWith('#')) commands.push(command)
  }
  return commands
}

function expectedText(readme: string): string {
  const after = readme.slice(readme.indexOf('Expected output'))
  return /```text\n([\s\S]*?)\n```/.exec(after)?.[1] ?? ''
}

/** Runs the commands in the repository root with `node` being this Node; traces go to a temp dir. */
function runAll(commands: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-c', commands.join('\n')], {
      cwd: ROOT,
      env: cleanEnv({
        PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
        RLM_TRACE_DIR: tempDir('rlm-examples-'),
        NO_COLOR: '1',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d
    })
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('every example prints what its README says', { timeout: 180_000 }, () => {
  for (const ex of EXAMPLES) {
    it(`${ex.dir}: its offline command prints the README's expected output`, async () => {
      const readme = readFileSync(join(ROOT, 'examples', ex.dir, 'README.md'), 'utf8')
      const commands = offlineCommands(readme)
      expect(commands.length).toBeGreaterThan(0)
      const expected = expectedText(readme)
      expect(expected, 'the README quotes the expected output in a ```text block').not.toBe('')
      expect(readme).toContain(ex.stderr)
      const r = await runAll(commands)
      expect(r.code, r.stderr).toBe(0)
      // make-book.mjs reports the file it wrote; the answer is the rest.
      const answer = r.stdout.replace(/^wrote .*\n/, '')
      if (ex.stdout === 'equals') expect(answer).toBe(`${expected}\n`)
      else if (ex.stdout === 'starts with') expect(answer.startsWith(expected)).toBe(true)
      else {
        const prefix = expected.slice(0, expected.indexOf(': ') + 2)
        expect(answer.split('\n').some((l) => l.startsWith(prefix))).toBe(true)
      }
      expect(r.stderr).toContain(ex.stderr)
      ex.more?.(answer)
    })
  }
})
