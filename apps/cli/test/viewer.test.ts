import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempDir } from './run-cli.ts'
import { ERROR_LINE } from './schemas.ts'

const base = { runId: 'r1', nodeId: '0', depth: 0, timestamp: 1_700_000_000_000 }
const usage = {
  inputTokens: 1,
  outputTokens: 1,
  cachedInputTokens: 0,
  costUsd: 0,
  calls: 1,
  unpricedCalls: 0,
}
const trace = [
  { ...base, type: 'run_start', query: 'q', promptVersion: 'p', model: 'm', subModel: 'm', settings: {} },
  { ...base, type: 'final', answer: '</script><script>window.__pwned = 1</script>' },
  {
    ...base,
    type: 'run_end',
    status: 'final',
    answer: 'a',
    usage,
    durationMs: 1,
    subCalls: 0,
    maxDepthReached: 1,
  },
]

describe('rlm view', { concurrent: true, timeout: 60_000 }, () => {
  it('writes one self-contained HTML file and prints its path; bad lines are counted', async () => {
    const dir = tempDir()
    const file = join(dir, 't.jsonl')
    writeFileSync(file, `${trace.map((e) => JSON.stringify(e)).join('\n')}\nnot json\n`)
    const r = await runCli(['view', file, '-o', join(dir, 'out', 'v.html')], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout.trim()).toBe(join(dir, 'out', 'v.html'))
    const html = readFileSync(join(dir, 'out', 'v.html'), 'utf8')
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i)
    expect(html).toContain("default-src 'none'")
    // the hostile "</script>" in the data is escaped: exactly the two script elements end
    expect(html.match(/<\/script>/g)).toHaveLength(2)
    // run_start without its context and the torn line: two problems, shown in the page
    expect(r.stderr).toContain('wrote the viewer for 2 events (2 unreadable lines skipped)')
    expect(html).toContain('run_start.context')
  })

  it.skipIf(process.platform === 'win32')(
    'writes the page 0600 like the trace it shows, even over an existing 0644 file',
    async () => {
      const dir = tempDir()
      const file = join(dir, 't.jsonl')
      writeFileSync(file, trace.map((e) => JSON.stringify(e)).join('\n'))
      const fresh = await runCli(['view', file, '-o', join(dir, 'new', 'v.html')], { cwd: dir })
      expect(fresh.code, fresh.stderr).toBe(0)
      expect(statSync(join(dir, 'new', 'v.html')).mode & 0o777).toBe(0o600)
      expect(statSync(join(dir, 'new')).mode & 0o777).toBe(0o700)
      writeFileSync(join(dir, 'old.html'), 'old')
      chmodSync(join(dir, 'old.html'), 0o644)
      const over = await runCli(['view', file, '-o', join(dir, 'old.html')], { cwd: dir })
      expect(over.code, over.stderr).toBe(0)
      expect(statSync(join(dir, 'old.html')).mode & 0o777).toBe(0o600)
    },
  )

  it('exits 2 with one error line for a missing or empty trace, writing no HTML', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'empty.jsonl'), 'garbage\n')
    for (const name of ['missing.jsonl', 'empty.jsonl']) {
      const r = await runCli(['view', join(dir, name), '-o', join(dir, 'x.html')], { cwd: dir })
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(ERROR_LINE)
      expect(r.stderr).toContain('E_TRACE')
      expect(existsSync(join(dir, 'x.html'))).toBe(false)
    }
  })
})
