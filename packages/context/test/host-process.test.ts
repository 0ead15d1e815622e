// @rlm/context's workers inside a host started as `node --input-type=module -e ...` (with a
// bounded heap, as tests that need a crash run): the workers must not inherit the main-script flags,
// yet keep the host's `--conditions` (here the workspace's, so they load this package's source).
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { taskWorkerExecArgv } from '../src/task-worker-flags.ts'

const index = fileURLToPath(new URL('../src/index.ts', import.meta.url))
const parallel = fileURLToPath(new URL('../src/parallel-search.ts', import.meta.url))

function node(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr })
    })
  })
}

// A task worker (searchAsync, chunkAsync), token-count workers and the parallel-search helper.
const script = `
  const { loadContext } = await import(${JSON.stringify(index)})
  const { parallelStats } = await import(${JSON.stringify(parallel)})
  const ctx = await loadContext({ documents: [
    { name: 'a', text: 'line alpha\\n'.repeat(900_000) + 'call 555-0199\\n' },
    { name: 'b', text: 'beta\\n'.repeat(1000) },
  ] })
  const found = await ctx.searchAsync('beta', { limit: 5 })
  const chunks = await ctx.chunkAsync({ strategy: 'lines', size: 100_000 })
  const small = () => loadContext({ documents: [{ name: 'a', text: 'one two three\\n'.repeat(20_000) }, { name: 'b', text: 'four\\n' }] })
  const single = await (await small()).countTokens({ encoding: 'cl100k_base', workers: 1 })
  const split = await (await small()).countTokens({ encoding: 'cl100k_base', workers: 2 })
  // No literal to prefilter on: a plain scan of the whole 10 MB document, split across two threads.
  const digits = ctx.search('\\\\d+')
  console.log(JSON.stringify({ found: found.length, chunks: chunks.length > 1, same: split === single, digits: digits.length, workerScans: parallelStats.workerScans }))`

describe('a host started with `node --input-type=module -e`', () => {
  it('runs searches, chunk plans, token counts and the parallel scan on workers without crashing', async () => {
    const r = await node([
      '--conditions=@rlm/source',
      '--max-old-space-size=512',
      '--input-type=module',
      '-e',
      script,
    ])
    expect(r.stderr).not.toContain('ERR_INPUT_TYPE_NOT_ALLOWED')
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout.trim())
    expect(out).toMatchObject({ found: 5, chunks: true, same: true, digits: 2 })
    // On one core the scan stays on this thread by design; on two or more the helper did half.
    if ((await import('node:os')).availableParallelism() >= 2) expect(out.workerScans).toBeGreaterThan(0)
  }, 120_000)

  it('keeps only the flags that decide how modules load, values included', () => {
    expect(
      taskWorkerExecArgv([
        '--input-type=module',
        '--max-old-space-size=512',
        '--conditions',
        '@rlm/source',
        '-C',
        'dev',
        '--eval',
        '--import x',
        '--import',
        'tsx',
        '--expose-gc',
        '--enable-source-maps',
        '-e',
        'code',
      ]),
    ).toEqual(['--conditions', '@rlm/source', '-C', 'dev', '--import', 'tsx', '--enable-source-maps'])
  })
})
