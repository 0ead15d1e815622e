import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm, type RlmConfigInput } from '../src/index.ts'
import { js } from './scripted.ts'

/** Runs guest code that ends with FINAL(JSON.stringify(...)) and returns the parsed value. */
async function guest(code: string, context: unknown, config: Partial<RlmConfigInput> = {}): Promise<unknown> {
  const model = createScripted([
    js(`const attempt = (f) => { try { return f() } catch (e) { return e.code } }\n${code}`),
  ])
  const r = await createRlm({ model, prewarmSandboxes: 0, ...config }).run({
    query: 'q',
    context: context as string,
  })
  expect(r.status).toBe('final')
  return JSON.parse(r.answer)
}

describe('host function limits (config.limits)', () => {
  it('search: a limit above maxSearchHits is E_LIMIT; { from } pages through every hit', async () => {
    const got = await guest(
      `const all = []
let page
do {
  page = search('a\\\\d', { limit: 5, from: all.length ? all[all.length - 1].end : 0 })
  all.push(...page)
} while (page.length === 5)
FINAL(JSON.stringify([attempt(() => search('a', { limit: 6 })), all.map((h) => h.text).join(',')]))`,
      'a1 a2 a3\na4 a5 a6 a7\na8 a9 a0 a1 a2',
      { limits: { maxSearchHits: 5 } },
    )
    expect(got).toEqual(['E_LIMIT', 'a1,a2,a3,a4,a5,a6,a7,a8,a9,a0,a1,a2'])
  })

  it('maxHostResultChars bounds context.slice, String(context), lines and search results', async () => {
    const text = `${'0123456789'.repeat(9)}\n`.repeat(50)
    const got = await guest(
      `FINAL(JSON.stringify([
  attempt(() => context.slice(0, 2000)),
  attempt(() => String(context)),
  attempt(() => lines(1, 50)),
  attempt(() => search('\\\\d+', { limit: 100 })),
  context.slice(0, 1000).length,
  lines(1, 5).length,
]))`,
      text,
      { contextInlineLimit: 0, limits: { maxHostResultChars: 1000 } },
    )
    expect(got).toEqual(['E_LIMIT', 'E_LIMIT', 'E_LIMIT', 'E_LIMIT', 1000, 454])
  })

  it('context.split and match stop at maxMatches; split keeps String semantics across documents', async () => {
    const docs = { documents: [0, 1, 2].map((i) => ({ name: `d${i}`, text: `line ${i}a\nline ${i}b` })) }
    const got = await guest(
      `FINAL(JSON.stringify([
  attempt(() => context.split('\\n')),
  context.split('\\n', 3),
  attempt(() => context.match(/line/g)),
  attempt(() => context.split(/ \\d/)),
  context.split('line ', 2),
]))`,
      docs,
      { contextInlineLimit: 0, limits: { maxMatches: 4 } },
    )
    expect(got).toEqual(['E_LIMIT', ['line 0a', 'line 0b', 'line 1a'], 'E_LIMIT', 'E_LIMIT', ['', '0a\n']])
    const whole = 'line 0a\nline 0b\nline 1a\nline 1b\nline 2a\nline 2b'
    expect(
      await guest('FINAL(JSON.stringify(context.split("b\\nl")))', docs, { contextInlineLimit: 0 }),
    ).toEqual(whole.split('b\nl'))
  })

  it('indexOf and lastIndexOf find a needle across the 1 MiB scan windows', async () => {
    const at = (1 << 20) - 3
    const text = `${'x'.repeat(at)}needle${'x'.repeat(1 << 20)}needle${'y'.repeat(10)}`
    const got = await guest(
      'FINAL(JSON.stringify([context.indexOf("needle"), context.lastIndexOf("needle"), context.indexOf("needle", 2e6), context.includes("nope")]))',
      text,
      { contextInlineLimit: 0 },
    )
    expect(got).toEqual([at, text.lastIndexOf('needle'), text.indexOf('needle', 2e6), false])
  })

  it('chunks past maxChunks is E_LIMIT with the size that fits', async () => {
    const got = await guest(
      `let message
try { chunks({ size: 10 }) } catch (e) { message = e.code + ' ' + e.message }
FINAL(JSON.stringify([message, chunks({ size: 40 }).length]))`,
      'x'.repeat(100),
      { limits: { maxChunks: 3 } },
    )
    expect(got).toEqual([expect.stringMatching(/^E_LIMIT .*limits\.maxChunks.*size: 34 \}\) or larger/), 3])
  })
})
