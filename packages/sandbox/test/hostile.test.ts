// Hostile programs: each asserts its outcome and that the host (and the sandbox) are healthy after.
import { afterAll, describe, expect, it } from 'vitest'
import { createSandbox, type RunResult, type Sandbox, type SandboxOptions } from '../src/index.ts'

process.env.RLM_SANDBOX_TEST_SECRET = 'hunter2-test-secret-value'

const TIMEOUT = 400
// A kill deadline is about time, so it stays, with over a second of slack for a loaded 2-core machine.
const KILL_SLACK_MS = 1500
const HEALTH_TIMEOUT = 10_000
// Memory bombs get a cell timeout far beyond the time they need to reach the cap, so a slow
// machine still ends them with E_MEMORY (what they prove) rather than E_TIMEOUT.
const BOMB_TIMEOUT = 30_000
const BOMB_TEST_TIMEOUT = 60_000
const open: Sandbox[] = []
afterAll(async () => {
  await Promise.all(open.map((sb) => sb.dispose()))
})

const slowForever = () => new Promise(() => {})
// Programs expected to finish get room for a loaded CI machine; time bombs use TIMEOUT.
const options = (extra: SandboxOptions = {}): SandboxOptions => ({
  timeoutMs: 3000,
  memoryLimitBytes: 32 * 2 ** 20,
  globals: { context: 'the context' },
  functions: {
    llm_query: async (p) => `answer:${String(p)}`,
    echo: { sync: true, fn: (x) => x },
    never: slowForever,
    neverSync: { sync: true, fn: slowForever },
    leaky: async () => {
      throw new Error(
        `failed to read /home/runner/.config/secret.json with key sk-abcdefghijklmnop1234 and ${process.env.RLM_SANDBOX_TEST_SECRET}`,
      )
    },
    weird: async () => () => 1,
  },
  ...extra,
})

interface Outcome {
  result: RunResult
  /** Longest gap between 10 ms host ticks while the program ran. */
  maxLagMs: number
  elapsedMs: number
}

async function hostile(code: string, extra?: SandboxOptions): Promise<Outcome & { sb: Sandbox }> {
  // The hostile program gets its limit per run; the sandbox's own limit stays generous so the
  // health checks after it (a fresh worker after a reset) are not cut short on a loaded machine.
  const limit = extra?.timeoutMs ?? options().timeoutMs
  const sb = await createSandbox(options({ ...extra, timeoutMs: Math.max(limit ?? 0, HEALTH_TIMEOUT) }))
  open.push(sb)
  await sb.run('var before = "kept"')
  let last = performance.now()
  let maxLagMs = 0
  const ticker = setInterval(() => {
    const now = performance.now()
    maxLagMs = Math.max(maxLagMs, now - last)
    last = now
  }, 10)
  const started = performance.now()
  const result = await sb.run(code, limit === undefined ? undefined : { timeoutMs: limit })
  const elapsedMs = performance.now() - started
  clearInterval(ticker)
  await expectHealthy(sb, result)
  return { result, maxLagMs, elapsedMs, sb }
}

/** The sandbox answers again (state kept unless it says it was reset) and the host is fine. */
async function expectHealthy(sb: Sandbox, previous: RunResult): Promise<void> {
  const after = await sb.run('[1 + 1, typeof before, context]')
  expect(after.ok).toBe(true)
  if (after.ok) expect(after.value).toEqual([2, previous.reset ? 'undefined' : 'string', 'the context'])
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(process.memoryUsage().heapUsed).toBeLessThan(1.5 * 2 ** 30)
}

function code(r: RunResult): string {
  return r.ok ? 'ok' : r.error.code
}

describe.concurrent('reaching the host', () => {
  const forbidden: Array<[string, string]> = [
    ['process.exit(1)', 'process'],
    ['process.env.HOME', 'env'],
    ['require("child_process").execSync("id")', 'os.system'],
    ['require("fs").readFileSync("/etc/passwd", "utf8")', 'open()'],
    ['const os = require("os"); os.homedir()', '__import__("os")'],
    ['import("node:fs")', 'dynamic import'],
    ['import fs from "fs"', 'static import'],
    ['import.meta.url', 'import.meta'],
    ['fetch("http://127.0.0.1:1/")', 'fetch'],
    ['globalThis.process', 'globalThis.process'],
    ['globalThis["require"]', 'globalThis["require"]'],
    ['eval("1 + 1")', 'eval'],
    ['new Function("return this")()', 'Function'],
    ['(function () {}).constructor("return process")()', 'function constructor'],
    ['this.constructor.constructor("return process")()', 'constructor chain'],
    ['(async () => {}).constructor("return 1")', 'async function constructor'],
    ['Function("return this")()', 'Function called'],
    ['Function.call(null, "return this")()', 'Function.call'],
    ['x.constructor("return " + "process")', 'constructor with code text'],
  ]
  for (const [program, label] of forbidden) {
    it(`rejects ${label} before running`, async () => {
      const { result } = await hostile(program)
      expect(code(result)).toBe('E_FORBIDDEN')
      expect(!result.ok && result.error.message).toMatch(/not (available|allowed)/)
    })
  }

  it('finds no host objects through indirect names at runtime', async () => {
    const { result } = await hostile(
      'const g = globalThis; const names = ["pro" + "cess", "req" + "uire", "fe" + "tch", "Deno", "Bun", "module"]; names.map((n) => typeof g[n])',
    )
    expect(result.ok && result.value).toEqual([
      'undefined',
      'undefined',
      'undefined',
      'undefined',
      'undefined',
      'undefined',
    ])
  })

  it('finds only the guest realm through an unflagged constructor chain', async () => {
    const { result } = await hostile(
      'const F = Object.getPrototypeOf(function () {})["const" + "ructor"]; F("return typeof process + typeof require")()',
    )
    expect(result.ok && result.value).toBe('undefinedundefined')
  })

  it('finds only the guest realm through an aliased Function the static check lets through', async () => {
    const { result } = await hostile(
      'const F = Function; F("return typeof process + typeof require + typeof fetch + typeof this.constructor")()',
    )
    expect(result.ok && result.value).toBe('undefinedundefinedundefinedfunction')
  })

  it('finds only the guest realm through .constructor(variable)', async () => {
    const { result } = await hostile(
      'const c = (1).constructor; const src = "return [typeof process, typeof require, typeof print].join()"; c.constructor(src)()',
    )
    expect(result.ok && result.value).toBe('undefined,undefined,function')
  })

  it('keeps Error.prepareStackTrace tricks inside the guest', async () => {
    const { result } = await hostile(
      'Error.prepareStackTrace = (e, frames) => frames; const s = new Error("x").stack; typeof s',
    )
    expect(result.ok && result.value).toBe('string')
  })

  it('redacts paths, keys and env values from host error messages', async () => {
    const { result } = await hostile('try { await leaky() } catch (e) { e.message }')
    expect(result.ok).toBe(true)
    const message = String(result.ok && result.value)
    expect(message).toContain('failed to read')
    expect(message).not.toMatch(/\/home|runner|sk-abc|hunter2/)
  })
})

describe.concurrent('time bombs', () => {
  const loops: Array<[string, string]> = [
    ['while (true) {}', 'while True'],
    ['for (;;) { try { while (true) {} } catch (e) {} }', 'a loop that catches the interrupt'],
    ['/(a+)+$/.test("a".repeat(40) + "b")', 'a catastrophic regex'],
    ['await new Promise(() => {})', 'a promise that never settles'],
    ['while (true) { await null }', 'an await loop'],
    ['await never()', 'an async host call that never answers'],
    ['neverSync()', 'a sync host call that never answers'],
    ['function f() { try { f() } finally { f() } } f()', 'exponential recursion in finally'],
  ]
  for (const [program, label] of loops) {
    it(`stops ${label} with E_TIMEOUT near the deadline`, async () => {
      const { result, elapsedMs } = await hostile(program, { timeoutMs: TIMEOUT })
      expect(code(result)).toBe('E_TIMEOUT')
      expect(elapsedMs).toBeLessThan(TIMEOUT + KILL_SLACK_MS)
    })
  }

  const builtins: Array<[string, string]> = [
    ['Array.prototype.join.call({ length: 2 ** 32 })', 'join on a huge array-like'],
    ['Array.prototype.indexOf.call({ length: 2 ** 53 - 1 }, 1)', 'indexOf on a huge array-like'],
    ['Array.prototype.sort.call({ length: 2 ** 32 - 1 })', 'sort on a huge array-like'],
    ['(1n << 500000n).toString().length', 'a giant BigInt to string'],
  ]
  for (const [program, label] of builtins) {
    it(`kills the worker for ${label} and resets`, async () => {
      const { result, elapsedMs } = await hostile(program, { timeoutMs: TIMEOUT })
      expect(code(result)).toBe('E_TIMEOUT')
      expect(result.reset).toBe(true)
      expect(!result.ok && result.error.message).toMatch(/reset/)
      expect(elapsedMs).toBeLessThan(TIMEOUT + KILL_SLACK_MS)
    })
  }
})

describe('the host event loop', () => {
  it('keeps ticking while guest code spins, in QuickJS or in an uninterruptible builtin', async () => {
    // A host blocked by the guest would lag the whole 3 s; the bound leaves over a second of slack.
    for (const program of ['while (true) {}', 'Array.prototype.join.call({ length: 2 ** 32 })']) {
      const { result, maxLagMs } = await hostile(program, { timeoutMs: 3000 })
      expect(code(result)).toBe('E_TIMEOUT')
      expect(maxLagMs).toBeLessThan(1500)
    }
  }, 30_000)
})

describe.concurrent('memory and stack bombs', () => {
  const bombs: Array<[string, string]> = [
    ['const a = []; while (true) a.push(new Array(100000).fill(1))', 'growing arrays'],
    ['let s = "x"; while (true) s += s', 'string doubling'],
    ['const m = new Map(); for (let i = 0; ; i++) m.set(i, { i, s: "v" + i })', 'many small objects'],
    ['new ArrayBuffer(2 ** 31 - 1)', 'one huge ArrayBuffer'],
    ['"x".repeat(2 ** 29)', 'one huge string'],
  ]
  for (const [program, label] of bombs) {
    it(
      `ends ${label} as E_MEMORY (or a guest RangeError) with the host intact`,
      async () => {
        const { result } = await hostile(program, { timeoutMs: BOMB_TIMEOUT })
        expect(['E_MEMORY', 'E_RUNTIME']).toContain(code(result))
        if (code(result) === 'E_RUNTIME')
          expect(!result.ok && result.error.name).toMatch(/RangeError|InternalError/)
      },
      BOMB_TEST_TIMEOUT,
    )
  }

  it(
    'keeps working after a bomb whose data stays reachable from a global (resets if it must)',
    async () => {
      const sb = await createSandbox(options({ timeoutMs: BOMB_TIMEOUT, memoryLimitBytes: 64 * 2 ** 20 }))
      open.push(sb)
      // A refused single allocation first, then a Set that fills the heap and stays referenced.
      expect(code(await sb.run('"x".repeat(2 ** 28).length'))).toBe('E_MEMORY')
      const bomb = await sb.run('const s = new Set(); for (let i = 0; ; i++) s.add("k" + i)')
      expect(code(bomb)).toBe('E_MEMORY')
      for (const cell of ['let x = 1; x + 1', '[1, 2, 3].map((v) => ({ v })).length']) {
        const r = await sb.run(cell)
        expect(r.ok).toBe(true)
      }
    },
    BOMB_TEST_TIMEOUT,
  )

  it('turns unbounded recursion into a guest RangeError', async () => {
    const { result } = await hostile('function f(n) { return f(n + 1) + 1 } f(0)')
    expect(code(result)).toBe('E_RUNTIME')
    expect(!result.ok && result.error.name).toMatch(/RangeError|InternalError/)
  })

  it('survives JSON.stringify of a very deep array', async () => {
    const { result } = await hostile(
      'let a = []; for (let i = 0; i < 100000; i++) a = [a]; JSON.stringify(a).length',
    )
    expect(['ok', 'E_RUNTIME', 'E_TIMEOUT']).toContain(code(result))
  })

  it('survives recursion through toString', async () => {
    const { result } = await hostile('const o = {}; o.toString = () => "" + o; "" + o')
    expect(code(result)).toBe('E_RUNTIME')
  })
})

describe.concurrent('hostile values coming back', () => {
  it('does not run getters of the completion value', async () => {
    const { result } = await hostile('({ a: 1, get b() { while (true) {} } })')
    expect(result.ok && result.value).toEqual({ a: 1 })
  })

  it('does not call toJSON of the completion value', async () => {
    const { result } = await hostile('({ a: 1, toJSON() { while (true) {} } })')
    expect(result.ok && result.value).toEqual({ a: 1 })
  })

  it('bounds a Proxy whose traps loop by the deadline', async () => {
    const { result } = await hostile('new Proxy({}, { ownKeys() { while (true) {} } })', {
      timeoutMs: TIMEOUT,
    })
    expect(code(result)).toBe('E_TIMEOUT')
  })

  it('keeps an own __proto__ key as data, polluting nothing', async () => {
    const { result } = await hostile('JSON.parse(\'{"__proto__": {"polluted": true}, "x": 1}\')')
    expect(result.ok).toBe(true)
    const value = (result.ok ? result.value : {}) as Record<string, unknown>
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(value.x).toBe(1)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('marks cycles instead of recursing', async () => {
    const { result } = await hostile('const o = { name: "o" }; o.self = o; o')
    expect(result.ok && result.value).toEqual({ name: 'o', self: '[Circular]' })
  })

  it('returns BigInt as a string and Symbol as nothing', async () => {
    const { result } = await hostile('[10n ** 30n, Symbol("s")]')
    expect(result.ok && result.value).toEqual(['1000000000000000000000000000000', null])
  })

  it('refuses hostile host-call arguments in the guest (BigInt, cycles)', async () => {
    const { result } = await hostile(
      'const errors = []; for (const bad of [10n, (() => { const c = []; c.push(c); return c })()]) { try { llm_query(bad) } catch (e) { errors.push(e.name) } } errors',
    )
    expect(result.ok && result.value).toEqual(['TypeError', 'TypeError'])
  })

  it('passes only data of getter-laden arguments to the host', async () => {
    const { result } = await hostile('echo({ a: 1, get b() { throw new Error("getter ran") } })')
    expect(result.ok && result.value).toEqual({ a: 1 })
  })

  it('turns a host result that is not data into a guest error', async () => {
    const { result } = await hostile('try { await weird() } catch (e) { e.message }')
    expect(String(result.ok && result.value)).toMatch(/weird\(\) result is a function/)
  })
})

describe.concurrent('redefined builtins and pollution', () => {
  it('stays usable after Object.prototype pollution', async () => {
    const { result } = await hostile(
      'Object.prototype.polluted = 1; Array.prototype.polluted = 2; ({}).polluted',
    )
    expect(result.ok && result.value).toBe(1)
  })

  it('confines a thenable Object.prototype to the guest, which can undo it', async () => {
    const sb = await createSandbox(options())
    open.push(sb)
    const polluted = await sb.run('Object.prototype.then = function (resolve) { resolve("hijacked") }; 1')
    expect(polluted.ok).toBe(true)
    expect(await sb.run('delete Object.prototype.then; 1 + 1')).toMatchObject({ ok: true })
    expect(await sb.run('40 + 2')).toMatchObject({ ok: true, value: 42 })
    expect(({} as Record<string, unknown>).then).toBeUndefined()
  })

  it('converts values with redefined JSON and Array methods', async () => {
    const { result } = await hostile(
      'JSON.stringify = () => { while (true) {} }; JSON.parse = null; Array.prototype.push = () => { throw 1 }; Array.prototype.join = null; ({ list: [1, 2], s: "x" })',
    )
    expect(result.ok && result.value).toEqual({ list: [1, 2], s: 'x' })
  })

  it('keeps host calls working after Promise is replaced', async () => {
    const { result } = await hostile(
      'globalThis.Promise = function () { throw new Error("nope") }; await llm_query("q")',
    )
    expect(result.ok && result.value).toBe('answer:q')
  })

  it('ignores a redefined console and print for the next run', async () => {
    const { result, sb } = await hostile('console.log = () => { while (true) {} }; print = null; 1')
    expect(result.ok).toBe(true)
    const next = await sb.run('typeof print')
    expect(next.ok && next.value).toBe('object')
  })
})

describe.concurrent('floods', () => {
  it('caps an output flood that never ends', async () => {
    const { result } = await hostile('while (true) console.log("y".repeat(1000))', {
      outputLimit: 10_000,
      timeoutMs: TIMEOUT,
    })
    expect(code(result)).toBe('E_TIMEOUT')
    expect(result.output.length).toBeLessThan(10_400)
    // Killed workers cannot add the marker; what was streamed before the kill is still reported.
    if (!result.reset) expect(result.output).toContain('[output truncated')
    expect(result.output).toContain('yyyy')
  })

  it('caps a single giant print', async () => {
    const { result } = await hostile('print("z".repeat(5_000_000)); 1', { outputLimit: 1000 })
    expect(result.ok).toBe(true)
    expect(result.output.length).toBeLessThan(1400)
  })

  it('refuses 100,000 async host calls in flight beyond the cap', async () => {
    const { result } = await hostile(
      'const ps = []; for (let i = 0; i < 100000; i++) ps.push(llm_query(i)); ps.length',
      {
        timeoutMs: 5000,
      },
    )
    expect(code(result)).toBe('E_RUNTIME')
    expect(!result.ok && result.error.message).toMatch(/already in flight/)
  })

  it('bounds 100,000 sync host calls by the deadline', async () => {
    const { result } = await hostile('let n = 0; for (let i = 0; i < 100000; i++) n += echo(1); n', {
      timeoutMs: TIMEOUT,
    })
    expect(['ok', 'E_TIMEOUT']).toContain(code(result))
  })

  it('rejects an oversized completion value', async () => {
    const { result } = await hostile('"x".repeat(2_000_000)', { valueLimit: 100_000 })
    expect(code(result)).toBe('E_OUTPUT_LIMIT')
  })
})
