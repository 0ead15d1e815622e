import { createScripted } from '@rlm/providers'
import {
  type HostFunction,
  type RunResult,
  type Sandbox,
  type SandboxFactory,
  type SandboxOptions,
  type SyncHostFunction,
  sandboxStats,
} from '@rlm/sandbox'
import { describe, expect, it } from 'vitest'
import { createRlm } from '../src/index.ts'
import { js } from './scripted.ts'

/**
 * An in-memory sandbox that evaluates nothing real: each line of a cell is `name(<JSON args>)`.
 * `print` appends to the output; any other name calls the engine's host function `__rlm_<name>`
 * (`FINAL("x")` calls `__rlm_final`, as the guest prelude's FINAL does), and the last call's
 * value is the cell's completion value. Unknown names fail like a guest ReferenceError.
 */
function fakeSandboxFactory(): {
  factory: SandboxFactory
  created: SandboxOptions[]
  ran: string[]
  disposed: number
} {
  const state = { created: [] as SandboxOptions[], ran: [] as string[], disposed: 0 }
  const factory: SandboxFactory = async (options) => {
    state.created.push(options)
    const functions = options.functions ?? {}
    const call = async (entry: HostFunction | SyncHostFunction, args: unknown[]): Promise<unknown> =>
      typeof entry === 'function' ? await entry(...args) : entry.fn(...args)
    const sandbox: Sandbox = {
      async run(code): Promise<RunResult> {
        state.ran.push(code)
        let output = ''
        let value: unknown
        for (const line of code.split('\n').filter((l) => l.trim() !== '')) {
          const m = /^\s*([\w$]+)\((.*)\)\s*;?\s*$/.exec(line)
          const args = m ? (JSON.parse(`[${m[2]}]`) as unknown[]) : []
          const entry = m && functions[`__rlm_${m[1] === 'FINAL' ? 'final' : m[1]}`]
          if (m?.[1] === 'print') {
            output += `${args.join(' ')}\n`
          } else if (entry) {
            try {
              value = await call(entry, args)
            } catch (e) {
              const message = (e as Error).message
              return { ok: false, output, durationMs: 0, error: { code: 'E_RUNTIME', message } }
            }
          } else {
            const message = `${m?.[1] ?? line} is not defined`
            return {
              ok: false,
              output,
              durationMs: 0,
              error: { code: 'E_RUNTIME', name: 'ReferenceError', message },
            }
          }
        }
        options.onOutput?.(output)
        return value === undefined || value === null
          ? { ok: true, output, durationMs: 0 }
          : { ok: true, output, durationMs: 0, value }
      },
      async dispose() {
        state.disposed++
      },
      [Symbol.asyncDispose]() {
        return this.dispose()
      },
    }
    return sandbox
  }
  return {
    factory,
    created: state.created,
    ran: state.ran,
    get disposed() {
      return state.disposed
    },
  }
}

describe('createRlm({ sandbox }): a custom sandbox factory', () => {
  it('runs a whole run on an in-memory fake: host functions, sub-calls and FINAL go through it', async () => {
    const fake = fakeSandboxFactory()
    const model = createScripted([
      js('print("looking")\nllm_query("summarise: alpha")'),
      js('FINAL("alpha, summarised")'),
    ])
    const subModel = createScripted((request) => `sub saw ${request.messages.at(-1)?.content}`)
    const before = sandboxStats()
    const rlm = createRlm({ model, subModel, sandbox: fake.factory, executionTimeoutMs: 5_000 })
    const result = await rlm.run({ query: 'Summarise', context: 'alpha' })

    expect(result.status).toBe('final')
    expect(result.answer).toBe('alpha, summarised')
    // The first cell printed through the fake and its llm_query reached the sub-model.
    expect(result.tree.iterations[0]!.output).toBe('looking\n')
    expect(result.subCalls).toBe(1)
    expect(model.requests[1]!.messages.at(-1)!.content).toContain('looking')
    // The engine handed the fake the same options the QuickJS sandbox gets.
    expect(fake.created).toHaveLength(1)
    const options = fake.created[0]!
    expect(options.timeoutMs).toBe(5_000)
    expect(options.prelude).toContain('FINAL')
    expect(options.globals).toEqual({ context: 'alpha' })
    expect(Object.keys(options.functions ?? {})).toContain('__rlm_final')
    expect(options.memoryBudget).toBeDefined()
    // The model's cells ran in the fake; the guest never touched `answer`, so the engine never
    // spent a call reading it.
    expect(fake.ran).toContain('FINAL("alpha, summarised")')
    expect(fake.ran.filter((c) => c.startsWith('__rlm_answer_state'))).toHaveLength(0)
    expect(fake.disposed).toBe(1)
    // No QuickJS sandbox was started for the run.
    expect(sandboxStats().live).toBe(before.live)
  })

  it('reports a guest error from the fake to the model and goes on', async () => {
    const fake = fakeSandboxFactory()
    const model = createScripted([js('nosuch(1)'), js('FINAL("recovered")')])
    const result = await createRlm({ model, sandbox: fake.factory }).run({ query: 'q', context: 'c' })
    expect(result.status).toBe('final')
    expect(result.answer).toBe('recovered')
    expect(result.tree.iterations[0]!.output).toContain('E_RUNTIME: nosuch is not defined')
  })

  it('fails the cell with E_SANDBOX when the factory rejects or resolves to no sandbox', async () => {
    const model = () => createScripted([js('FINAL("never")')])
    const rejecting: SandboxFactory = () => Promise.reject(new Error('no capacity left'))
    const failed = await createRlm({ model: model(), sandbox: rejecting, maxIterations: 1 }).run({
      query: 'q',
      context: 'c',
    })
    // The cell that needed the sandbox reports why it could not run, as any host-side failure.
    const cell = failed.tree.iterations[0]!.cells[0]!
    expect(cell.ok).toBe(false)
    expect(cell.error?.code).toBe('E_SANDBOX')
    expect(cell.error?.message).toContain('no capacity left')

    // A JavaScript caller can hand over anything; the engine says what it needed.
    const hollow = (async () => ({})) as unknown as SandboxFactory
    const empty = await createRlm({ model: model(), sandbox: hollow, maxIterations: 1 }).run({
      query: 'q',
      context: 'c',
    })
    const hollowCell = empty.tree.iterations[0]!.cells[0]!
    expect(hollowCell.error?.code).toBe('E_SANDBOX')
    expect(hollowCell.error?.message).toContain('config.sandbox resolved to no sandbox')
  })

  it('rejects a sandbox option that is not a function at createRlm', () => {
    const model = createScripted([])
    expect(() => createRlm({ model, sandbox: {} as unknown as SandboxFactory })).toThrow(/config\.sandbox/)
  })
})
