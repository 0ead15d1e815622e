// The fan-out memory attack, in a child process: 16 children that each allocate 400 MB reached
// 6.2 GiB of RSS (17 sandboxes near their 512 MiB cap). With limits.maxRunMemoryBytes the
// sandboxes share one budget: RSS stays near it, refused children fail alone, the run ends cleanly.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const engine = fileURLToPath(new URL('../src/index.ts', import.meta.url))
const packageDir = fileURLToPath(new URL('..', import.meta.url))
const MIB = 2 ** 20

const script = `
  const { createRlm } = await import(${JSON.stringify(engine)})
  const { createScripted } = await import('@rlm/providers')
  const { sandboxStats } = await import('@rlm/sandbox')
  const js = (code) => '\`\`\`js\\n' + code + '\\n\`\`\`'
  const model = createScripted((req) => {
    const query = req.messages[1]?.content ?? ''
    const turns = req.messages.filter((m) => m.role === 'assistant').length
    if (query.includes('Query: ROOT'))
      return js('const r = await rlm_query_batched(Array(16).fill("ALLOC"))\\nFINAL(r.map((x) => x.slice(0, 40)).join("\\\\n"))')
    if (turns > 0) return js('FINAL("gave up")')
    return js('const s = "x".repeat(400e6)\\nFINAL(String(s.length))')
  })
  const r = await createRlm({
    model,
    maxDepth: 2,
    executionTimeoutMs: 90_000,
    limits: { maxRunMemoryBytes: ${512 * MIB} },
  }).run({ query: 'ROOT', context: 'c' })
  await new Promise((resolve) => setTimeout(resolve, 200))
  console.log(JSON.stringify({ status: r.status, answer: r.answer, maxRss: process.resourceUsage().maxRSS * 1024, stats: sandboxStats() }))
`

describe('fan-out memory attack', () => {
  it('16 children x 400 MB under a 512 MiB run budget: RSS stays bounded, the run ends cleanly', async () => {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--conditions=@rlm/source', '--max-old-space-size=512', '--input-type=module', '-e', script],
        { cwd: packageDir, timeout: 170_000, maxBuffer: 16 * MIB },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      )
    })
    const result = JSON.parse(stdout.trim().split('\n').at(-1) as string)
    expect(result.status).toBe('final')
    const slots: string[] = result.answer.split('\n')
    expect(slots).toHaveLength(16)
    // At most one child fits 400 MB in 512 MiB; the others fail (E_MEMORY) or give up, alone.
    expect(slots.filter((s) => s === '400000000').length).toBeLessThanOrEqual(1)
    expect(
      slots.filter((s) => s === 'gave up' || s.startsWith('[rlm_query error E_MEMORY')).length,
    ).toBeGreaterThanOrEqual(15)
    // Before: 6.2 GiB. Now the budget plus the process and its idle workers.
    expect(result.maxRss).toBeLessThan(1.5 * 2 ** 30)
    expect(result.stats.live).toBe(0)
    expect(result.stats.workers).toBe(result.stats.spares)
  }, 180_000)
})
