import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm } from '../src/index.ts'
import { js } from './scripted.ts'

describe('hostile model code through the engine', () => {
  it.each([
    ['process.exit', 'process.exit(1)'],
    ['require child_process', 'require("child_process").execSync("touch /tmp/rlm-pwned")'],
    ['dynamic import of fs', 'const fs = await import("fs"); print(fs.readFileSync("/etc/passwd", "utf8"))'],
    ['globalThis.process', 'globalThis["pro" + "cess"].exit(1)'],
    ['constructor escape', 'const F = (() => {}).constructor; print(F("return this")().process)'],
  ])('%s ends as a code error the loop reports back', async (_name, code) => {
    const model = createScripted([js(code), js('FINAL("still alive")')])
    const r = await createRlm({ model }).run({ query: 'q', context: 'c' })
    expect(r.status).toBe('final')
    expect(r.answer).toBe('still alive')
    const cell = r.tree.iterations[0]!.cells[0]!
    expect(cell.ok).toBe(false)
    expect(['E_FORBIDDEN', 'E_RUNTIME', 'E_SYNTAX']).toContain(cell.error!.code)
    expect(model.requests[1]!.messages.at(-1)!.content).toContain(`Error ${cell.error!.code}`)
  })

  it('while(true){} times out and the run continues, its variables kept unless the REPL was reset', async () => {
    const model = createScripted([js('var kept = 1'), js('while (true) {}'), js('FINAL(typeof kept)')])
    const started = Date.now()
    const r = await createRlm({ model, executionTimeoutMs: 300 }).run({ query: 'q', context: 'c' })
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(r.tree.iterations[1]!.cells[0]!.error!.code).toBe('E_TIMEOUT')
    expect(r.status).toBe('final')
    // QuickJS interrupts the loop and keeps the variables; only when the interrupt misses the kill
    // grace (a loaded machine) is the worker killed and the REPL reset, and then the model is told.
    const told = model.requests[2]!.messages.at(-1)!.content
    const reset = told.includes('The REPL was reset')
    expect(r.answer).toBe(reset ? 'undefined' : 'number')
    expect(process.exitCode ?? 0).toBe(0)
  })

  it('a memory bomb ends as a code error, not a host crash', async () => {
    const model = createScripted([
      js('const a = []; while (true) a.push("x".repeat(1e6) + a.length)'),
      js('FINAL("ok")'),
    ])
    // A cell timeout far beyond what the bomb needs, so even a loaded machine hits the memory cap first.
    const r = await createRlm({ model, memoryLimitBytes: 32 * 2 ** 20, executionTimeoutMs: 30_000 }).run({
      query: 'q',
      context: 'c',
    })
    expect(r.tree.iterations[0]!.cells[0]!.error!.code).toBe('E_MEMORY')
    expect(r.answer).toBe('ok')
  }, 60_000)

  it('depth is enforced by the host even when the guest rewrites its own API', async () => {
    const model = createScripted([
      js('globalThis.rlm_query = (q) => "fake"; FINAL(await globalThis.llm_query_batched(["x"]))'),
    ])
    const sub = createScripted(['real'])
    const r = await createRlm({ model, subModel: sub, maxDepth: 1 }).run({ query: 'q', context: 'c' })
    expect(r.answer).toBe('["real"]')
    expect(r.maxDepthReached).toBe(1)
  })
})
