import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm } from '../src/index.ts'
import { js } from './scripted.ts'

const LOG = 'INFO [api] up\r\nFATAL [db] error: disk full\r\nFATAL [cache] error: evicted\r\n'

/** Runs `code` once over a host-backed context (contextInlineLimit 0) and returns what it FINALs. */
async function hosted(code: string, limits?: { maxMatches: number }): Promise<unknown> {
  const rlm = createRlm({
    model: createScripted([js(code)]),
    contextInlineLimit: 0,
    ...(limits && { limits }),
  })
  const r = await rlm.run({ query: 'q', context: LOG })
  expect(r.status, r.tree.iterations[0]?.output).toBe('final')
  return JSON.parse(r.answer)
}

describe('the host-backed context', () => {
  it('gives match groups, numbered captures and JavaScript `.` (no \\r) as a plain string does', async () => {
    const out = await hosted(
      'const first = context.match(/FATAL \\[(?<svc>[a-z]+)\\] error: (.*)/)\nFINAL([typeof context, first.groups.svc, first[2], first.index, [...context.matchAll(/\\[(\\w+)\\]/g)].map(m => m[1])])',
    )
    expect(out).toEqual(['object', 'db', 'disk full', LOG.indexOf('FATAL'), ['api', 'db', 'cache']])
  })

  it('throws E_UNSUPPORTED naming the alternative for lookaround, backreferences and methods it leaves out', async () => {
    const out = (await hosted(
      [
        'const seen = []',
        'for (const f of [() => context.match(/FATAL(?= \\[db)/), () => context.split(/(a)\\1/), () => context.toLowerCase()]) {',
        '  try { f() } catch (e) { seen.push(e.code + ": " + e.message) }',
        '}',
        'FINAL(seen)',
      ].join('\n'),
    )) as string[]
    expect(out).toHaveLength(3)
    expect(out[0]).toMatch(
      /^E_UNSUPPORTED: context\.match on the host-backed context \(\d+ characters\): .*lookahead.*slice of the text/,
    )
    expect(out[1]).toMatch(/^E_UNSUPPORTED: .*backreferences/)
    expect(out[2]).toMatch(
      /^E_UNSUPPORTED: context\.toLowerCase\(\) is not available .*context\.slice\(a, b\)\.toLowerCase/,
    )
  })

  it('stops a match past limits.maxMatches with E_LIMIT instead of returning part of the matches', async () => {
    const out = await hosted('try { context.match(/./g) } catch (e) { FINAL([e.code]) }', { maxMatches: 10 })
    expect(out).toEqual(['E_LIMIT'])
  })

  it('reads context[i], iterates by code points and stringifies to a marker', async () => {
    const out = await hosted(
      'FINAL([context[0], context[9999], [...context].length, JSON.stringify({ c: context })])',
    )
    expect(out).toEqual(['I', null, [...LOG].length, `{"c":"[context: ${LOG.length} characters]"}`])
  })
})
