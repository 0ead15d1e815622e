import { isRlmError, RlmError } from '@rlm/errors'
import { describe, expect, it } from 'vitest'
import { checkCode, createSandbox } from '../src/index.ts'
import { sandboxOpener, valueOfRun } from './sandbox-harness.ts'

const sandbox = sandboxOpener({ timeoutMs: 2000 })

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('REPL semantics', () => {
  it('keeps var, let, const, functions and classes across runs', async () => {
    const sb = await sandbox()
    expect(
      valueOfRun(
        await sb.run(
          'var a = 1; let b = 2; const c = 3; function f() { return 4 }; class K { v() { return 5 } }',
        ),
      ),
    ).toBeUndefined()
    expect(valueOfRun(await sb.run('[a, b, c, f(), new K().v()]'))).toEqual([1, 2, 3, 4, 5])
  })

  it('lets a later cell re-declare let and const', async () => {
    const sb = await sandbox()
    await sb.run('let x = 1; const y = 2')
    expect(valueOfRun(await sb.run('let x = 10; const y = 20; x + y'))).toBe(30)
  })

  it('does not poison a binding whose cell threw before initialising it', async () => {
    const sb = await sandbox()
    const failed = await sb.run('let q = (() => { throw new Error("early") })()')
    expect(failed.ok).toBe(false)
    expect(valueOfRun(await sb.run('let q = 2; q'))).toBe(2)
  })

  it('supports top-level await and returns the completion value', async () => {
    const sb = await sandbox()
    expect(valueOfRun(await sb.run('const v = await Promise.resolve(41); v + 1'))).toBe(42)
    expect(valueOfRun(await sb.run('v'))).toBe(41)
  })

  it('returns JSON-like completion values and omits undefined', async () => {
    const sb = await sandbox()
    expect(valueOfRun(await sb.run('({ a: [1, "two", null, true], b: { c: 1.5 } })'))).toEqual({
      a: [1, 'two', null, true],
      b: { c: 1.5 },
    })
    const r = await sb.run('undefined')
    expect(r.ok && 'value' in r).toBe(false)
    expect(valueOfRun(await sb.run('new Date(0)'))).toBe('1970-01-01T00:00:00.000Z')
  })

  it('queues concurrent runs on one sandbox', async () => {
    const sb = await sandbox()
    const results = await Promise.all([sb.run('var n = 1; n'), sb.run('n += 1; n'), sb.run('n += 1; n')])
    expect(results.map(valueOfRun)).toEqual([1, 2, 3])
  })
})

describe('globals and prelude', () => {
  it('installs strings (with NUL, non-ASCII and lone surrogates) and JSON values', async () => {
    const text = `héllo\u0000漢字\ud800 end`
    const sb = await sandbox({ globals: { text, big: 'x'.repeat(200_000), meta: { n: 1, list: ['a'] } } })
    expect(
      valueOfRun(
        await sb.run('[text.length, text === ' + JSON.stringify(text) + ', big.length, meta.list[0]]'),
      ),
    ).toEqual([text.length, true, 200_000, 'a'])
  })

  it('evaluates the prelude once and again after a reset', async () => {
    const sb = await sandbox({
      timeoutMs: 300,
      prelude: 'var FINAL = (x) => "final:" + x; var preludeRuns = (globalThis.preludeRuns || 0) + 1',
    })
    expect(valueOfRun(await sb.run('[FINAL(1), preludeRuns]'))).toEqual(['final:1', 1])
    const killed = await sb.run('Array.prototype.join.call({ length: 2 ** 32 })')
    expect(killed.reset).toBe(true)
    expect(valueOfRun(await sb.run('[FINAL(2), preludeRuns]'))).toEqual(['final:2', 1])
  })

  it('rejects a prelude that throws with E_SANDBOX_INIT', async () => {
    const error = await createSandbox({ prelude: 'throw new Error("bad prelude")' }).catch((e: unknown) => e)
    expect(isRlmError(error) && error.code).toBe('E_SANDBOX_INIT')
  })

  it('rejects invalid options with E_CONFIG naming the problem', async () => {
    const error = await createSandbox({ globals: { f: () => 1 } as never }).catch((e: unknown) => e)
    expect(isRlmError(error) && error.code).toBe('E_CONFIG')
    expect((error as Error).message).toContain('globals')
    const badName = await createSandbox({ functions: { 'not a name': async () => 1 } }).catch(
      (e: unknown) => e,
    )
    expect(isRlmError(badName) && badName.code).toBe('E_CONFIG')
  })
})

describe('host functions', () => {
  it('runs async host calls in parallel', async () => {
    // Every call waits until all 50 are in flight: only parallel calls can finish.
    let inFlight = 0
    let release: () => void = () => {}
    const allStarted = new Promise<void>((resolve) => {
      release = resolve
    })
    const sb = await sandbox({
      timeoutMs: 5000,
      functions: {
        llm_query: async (prompt) => {
          inFlight++
          if (inFlight === 50) release()
          await allStarted
          return `answer to ${String(prompt)}`
        },
      },
    })
    const r = await sb.run(
      'const answers = await Promise.all([...Array(50).keys()].map((i) => llm_query("q" + i))); answers[49]',
    )
    expect(valueOfRun(r)).toBe('answer to q49')
    expect(inFlight).toBe(50)
  })

  it('calls sync host functions directly and passes JSON-like data both ways', async () => {
    const seen: unknown[] = []
    const sb = await sandbox({
      functions: {
        lookup: {
          sync: true,
          fn: (query) => {
            seen.push(query)
            return { hits: [1, 2], query }
          },
        },
      },
    })
    const r = await sb.run(
      'const res = lookup({ q: "x", n: [1, null] }); [typeof res.then, res.hits.length, res.query.q]',
    )
    expect(valueOfRun(r)).toEqual(['undefined', 2, 'x'])
    expect(seen).toEqual([{ q: 'x', n: [1, null] }])
  })

  it('turns host errors into catchable guest errors', async () => {
    const sb = await sandbox({
      functions: {
        failing: async () => {
          throw new Error('quota exceeded')
        },
        failingSync: {
          sync: true,
          fn: () => {
            throw new Error('sync quota exceeded')
          },
        },
      },
    })
    const r = await sb.run(
      'const m = []; try { await failing() } catch (e) { m.push(e.message) }; try { failingSync() } catch (e) { m.push(e.message) }; m',
    )
    expect(valueOfRun(r)).toEqual(['quota exceeded', 'sync quota exceeded'])
  })

  it('passes the E_ code of a host error to the guest as err.code, and only such codes', async () => {
    const sb = await sandbox({
      functions: {
        deep: async () => {
          throw new RlmError('E_DEPTH', 'rlm_query cannot go deeper')
        },
        budgetSync: {
          sync: true,
          fn: () => {
            throw new RlmError('E_BUDGET', 'out of budget')
          },
        },
        plainCode: async () => {
          throw Object.assign(new Error('rejected'), { code: 'E_RATE_LIMIT' })
        },
        nodeCode: async () => {
          throw Object.assign(new Error('no file'), { code: 'ENOENT' })
        },
        hostileCode: async () => {
          throw Object.assign(new Error('x'), { code: 'E_X\n/etc/passwd' })
        },
        noCode: async () => {
          throw new Error('plain')
        },
      },
    })
    const r = await sb.run(`
      const codes = []
      for (const f of [deep, budgetSync, plainCode, nodeCode, hostileCode, noCode]) {
        try { await f() } catch (e) { codes.push([e instanceof Error, e.message, e.code === undefined ? null : e.code]) }
      }
      codes`)
    expect(valueOfRun(r)).toEqual([
      [true, 'rlm_query cannot go deeper', 'E_DEPTH'],
      [true, 'out of budget', 'E_BUDGET'],
      [true, 'rejected', 'E_RATE_LIMIT'],
      [true, 'no file', null],
      [true, 'x', null],
      [true, 'plain', null],
    ])
  })

  it('rejects non-JSON arguments in the guest with a TypeError', async () => {
    const sb = await sandbox({ functions: { f: async (x) => x } })
    const r = await sb.run('f(() => 1)')
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.message).toMatch(/TypeError: f\(\) argument: value\[0\] is a function/)
  })
})

describe('output', () => {
  it('captures print and console methods in order', async () => {
    const sb = await sandbox()
    const r = await sb.run(
      'print("a", 1); console.log({ b: 2 }); console.info("c"); console.warn("d"); console.error(new Error("e")); 7',
    )
    expect(r.output).toBe('a 1\n{"b":2}\nc\nd\nError: e\n')
    expect(valueOfRun(r)).toBe(7)
  })

  it('prints an un-awaited promise as a hint to await it, not as {}', async () => {
    const sb = await sandbox()
    const r = await sb.run('const p = Promise.resolve(42); print(p); print(await p)')
    expect(r.ok).toBe(true)
    expect(r.output).toBe(
      '[Promise: not awaited yet; write await before the call, e.g. print(await llm_query(...))]\n42\n',
    )
  })

  it('caps output with a visible marker', async () => {
    const sb = await sandbox({ outputLimit: 1000 })
    const r = await sb.run('for (let i = 0; i < 100; i++) print("line " + i + " " + "x".repeat(50))')
    expect(r.ok).toBe(true)
    expect(r.output.length).toBeLessThan(1300)
    expect(r.output).toMatch(/\[output truncated: \d+ more characters/)
  })

  it('streams output through onOutput while running', async () => {
    const chunks: string[] = []
    const sb = await sandbox({
      onOutput: (chunk) => chunks.push(chunk),
      functions: { wait: async () => sleep(80) },
    })
    const r = await sb.run('print("before"); await wait(); print("after")')
    expect(r.output).toBe('before\nafter\n')
    expect(chunks.join('')).toBe('before\nafter\n')
  })

  it('hands what was printed to onOutput as soon as the guest awaits a host call', async () => {
    const chunks: string[] = []
    let seenWhileWaiting: string[] = []
    const sb = await sandbox({
      onOutput: (chunk) => chunks.push(chunk),
      functions: {
        wait: async () => {
          await sleep(300)
          seenWhileWaiting = [...chunks]
        },
      },
    })
    const r = await sb.run('print("step 1"); await wait(); print("step 2")')
    expect(r.ok).toBe(true)
    expect(seenWhileWaiting).toEqual(['step 1\n'])
    expect(chunks).toEqual(['step 1\n', 'step 2\n'])
  })
})

describe('error envelopes', () => {
  it('reports E_SYNTAX with line and column', async () => {
    const sb = await sandbox()
    const r = await sb.run('const a = 1\nconst b = )')
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toMatchObject({ code: 'E_SYNTAX', line: 2, column: 11 })
  })

  it('reports E_RUNTIME with name, message and guest stack', async () => {
    const sb = await sandbox()
    const r = await sb.run('function inner() { throw new RangeError("nope") }\ninner()')
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error).toMatchObject({ code: 'E_RUNTIME', name: 'RangeError', message: 'RangeError: nope' })
      expect(r.error.stack).toContain('inner')
    }
  })

  it('reports thrown primitives', async () => {
    const sb = await sandbox()
    const r = await sb.run('throw 42')
    expect(!r.ok && r.error).toMatchObject({ code: 'E_RUNTIME', message: 'Uncaught 42' })
  })

  it('reports E_FORBIDDEN with advice', async () => {
    const sb = await sandbox()
    const r = await sb.run('const fs = require("fs")')
    expect(!r.ok && r.error.code).toBe('E_FORBIDDEN')
    expect(!r.ok && r.error.message).toMatch(/require\(\) is not available.*Use the globals/)
  })

  it('reports E_OUTPUT_LIMIT for an oversized completion value', async () => {
    const sb = await sandbox({ valueLimit: 1000 })
    const r = await sb.run('"x".repeat(5000)')
    expect(!r.ok && r.error.code).toBe('E_OUTPUT_LIMIT')
  })

  it('reports E_DISPOSED after dispose, and dispose never throws', async () => {
    const sb = await createSandbox()
    await sb.dispose()
    await sb.dispose()
    const r = await sb.run('1')
    expect(!r.ok && r.error.code).toBe('E_DISPOSED')
  })
})

describe('checkCode', () => {
  it('rewrites top-level let/const/class and leaves nested ones alone', () => {
    const r = checkCode('let a = 1\nclass B {}\n{ let c = 2 }')
    expect(r.ok && r.code).toBe('var a = 1\nvar B = class B {};\n{ let c = 2 }')
  })

  it('flags escapes statically and allows names the cell declares', () => {
    expect(checkCode('import("fs")')).toMatchObject({ ok: false, problem: { code: 'E_FORBIDDEN' } })
    expect(checkCode('x.constructor.constructor("return 1")()')).toMatchObject({ ok: false })
    expect(checkCode('const fetch = (u) => u; fetch("a")').ok).toBe(true)
    expect(checkCode('obj.process = 1; ({ require: 1 }).require').ok).toBe(true)
  })

  it('lets typeof probes of host names through, and they find nothing at run time', async () => {
    const probe = 'typeof process + typeof require + typeof fetch + typeof XMLHttpRequest'
    expect(checkCode(probe).ok).toBe(true)
    expect(checkCode('typeof process === "undefined" ? 1 : process.exit(1)')).toMatchObject({ ok: false })
    const sb = await createSandbox({ timeoutMs: 3000 })
    try {
      const r = await sb.run(probe)
      expect(r.ok && r.value).toBe('undefinedundefinedundefinedundefined')
    } finally {
      await sb.dispose()
    }
  })

  it('lets ordinary uses of Function and .constructor through', () => {
    for (const ok of [
      'const f = () => 1; f instanceof Function',
      'typeof x === "function" || x instanceof Function',
      'const call = Function.prototype.call; call',
      '[1, "a"].map((v) => v.constructor.name)',
      'const o = {}; o.constructor === Object',
      'const copy = new value.constructor(); copy',
      'value.constructor(1)',
    ]) {
      expect(checkCode(ok), ok).toMatchObject({ ok: true })
    }
    for (const bad of [
      'Function("return this")()',
      'new Function("a", "return a")',
      'Function.apply(null, ["return 1"])',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: guest code with a template literal
      'x.constructor(`return ${y}`)',
      '(() => {}).constructor',
      'a.constructor.constructor',
      'globalThis.constructor',
    ]) {
      expect(checkCode(bad), bad).toMatchObject({ ok: false, problem: { code: 'E_FORBIDDEN' } })
    }
  })

  it('runs ordinary uses of Function and .constructor', async () => {
    const sb = await sandbox()
    const r = await sb.run(
      'const f = () => 1; [f instanceof Function, [1, "a", []].map((v) => v.constructor.name), ({}).constructor === Object]',
    )
    expect(valueOfRun(r)).toEqual([true, ['Number', 'String', 'Array'], true])
  })
})
