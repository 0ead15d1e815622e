// The sandbox inside other host processes: started with `node --input-type=module -e`, and a worker
// at its own V8 heap limit while the host runs with a bounded heap. Each runs in a child process.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const index = fileURLToPath(new URL('../src/index.ts', import.meta.url))
const pool = fileURLToPath(new URL('../src/worker-pool.ts', import.meta.url))

interface Exit {
  code: number | null
  stdout: string
  stderr: string
}

function node(args: string[], timeout = 60_000): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@rlm/source', ...args],
      { timeout },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr })
      },
    )
  })
}

const runOneCell = `
  const { createSandbox } = await import(${JSON.stringify(index)})
  const sb = await createSandbox({ functions: { twice: async (x) => x * 2 } })
  const r = await sb.run('await twice(21)')
  await sb.dispose()
  console.log(r.ok ? 'value ' + r.value : 'failed ' + r.error.code)`

describe('host processes', () => {
  it('starts inside `node --input-type=module -e` (workers do not inherit main-script flags)', async () => {
    const result = await node(['--input-type=module', '-e', runOneCell])
    expect(result.stderr).not.toContain('ERR_INPUT_TYPE_NOT_ALLOWED')
    expect(result.stdout.trim()).toBe('value 42')
    expect(result.code).toBe(0)
  })

  it('starts when the host also has flags a worker refuses when given explicitly', async () => {
    const result = await node(['--max-old-space-size=256', '--input-type=module', '--eval', runOneCell])
    expect(result.stdout.trim()).toBe('value 42')
  })

  it('a worker with a small V8 heap survives host results and output floods (bounded host heap)', async () => {
    const script = `
      const { setWorkerResourceLimits } = await import(${JSON.stringify(pool)})
      const { createSandbox, prewarmSandbox } = await import(${JSON.stringify(index)})
      const keepAlive = setInterval(() => {}, 1000)
      await prewarmSandbox({ count: 0 })
      // A small worker heap: a host result of a million objects reaches the worker as JSON text, not as an
      // object graph on its heap (which stalled a worker at its limit until the deadline).
      setWorkerResourceLimits({ maxOldGenerationSizeMb: 12, maxYoungGenerationSizeMb: 1, stackSizeMb: 4 })
      const sb = await createSandbox({
        timeoutMs: 30000,
        memoryLimitBytes: 512 * 2 ** 20,
        outputLimit: 5e7,
        functions: { rows: { sync: true, fn: () => Array.from({ length: 1e6 }, (_, i) => ({ i, s: 'r' + i })) } },
      })
      const big = await sb.run('rows().length')
      console.log('rows:', big.ok ? big.value : big.error.code)
      const printed = await sb.run('const line = "x".repeat(1000); for (let i = 0; i < 3e4; i++) print(line); 1')
      console.log('print:', printed.ok ? printed.output.length : printed.error.code)
      const after = await sb.run('1 + 1')
      console.log('after:', after.ok ? after.value : after.error.code)
      await sb.dispose()
      setWorkerResourceLimits()
      clearInterval(keepAlive)`
    const result = await node(['--max-old-space-size=256', '--input-type=module', '-e', script], 120_000)
    expect({ code: result.code, stderr: result.stderr.slice(0, 2000) }).toEqual({ code: 0, stderr: '' })
    expect(result.stdout.trim().split('\n')).toEqual(['rows: 1000000', `print: ${3e4 * 1001}`, 'after: 2'])
  }, 130_000)
})
