import { describe, expect, it } from 'vitest'
import { loadContext, type RegExpExecMatch } from '../src/index.ts'

/** What V8 gives: RegExp#exec from `from`, repeated with matchAll's advance, as execRegExp reports it. */
function v8Exec(text: string, source: string, flags: string, from = 0, limit = Infinity): RegExpExecMatch[] {
  const re = new RegExp(source, flags.includes('g') ? flags : `${flags}g`)
  re.lastIndex = from
  const out: RegExpExecMatch[] = []
  while (out.length < limit) {
    const m = re.exec(text)
    if (!m) break
    const match: RegExpExecMatch = {
      index: m.index,
      end: m.index + m[0].length,
      captures: [...m].map((x) => x ?? null),
    }
    if (m.groups) match.groups = Object.fromEntries(Object.entries(m.groups).map(([k, v]) => [k, v ?? null]))
    out.push(match)
    if (m[0] === '')
      re.lastIndex += flags.includes('u') && (text.codePointAt(re.lastIndex) ?? 0) > 0xffff ? 2 : 1
  }
  return out
}

const LOG = [
  '2024-01-02 10:00:01 INFO  [api] started on port 8080',
  '2024-01-02 10:00:05 FATAL [db] connection lost: timeout after 30s',
  'Café  crème,\tnaïve résumé 中文 text — end',
  '2024-01-02 10:01:00 WARN  [api] slow request /v1/items?id=42 (1200 ms)',
  '\r\nwindows line\r\n',
  '2024-01-02 10:02:13 FATAL [cache] evicted 17 keys',
  '',
  'last line without newline',
].join('\n')

const PATTERNS = [
  'FATAL \\[(?<svc>[a-z]+)\\]',
  '(\\d{4})-(\\d{2})-(\\d{2})',
  '(?<h>\\d\\d):(?<m>\\d\\d)(?::(?<s>\\d\\d))?',
  '\\b\\w+\\b',
  '^\\S+',
  '\\w+$',
  '[^\\s]+\\s+\\[(api|db)\\]',
  'line.*',
  '.+',
  '\\s+',
  'é|ê|è',
  '(a)|(b)',
  'x*',
  '(?:)',
  '\\bе?\\w{3,5}\\b',
  '[\\d,]+ (?:ms|keys|s)\\b',
  '\\[[^\\]]*\\]',
  '(timeout|port) (?:after )?(\\d+)',
  'c[aá]f[eé]',
  '[^]{3}',
  'a[]b|n',
  '\\x41|\\u0046|\\cJ',
]
const FLAGS = ['', 'g', 'gi', 'gm', 'gs', 'gu', 'y', 'gy', 'gim', 'gmsu']

describe('execRegExp: JavaScript semantics on the linear-time engine', () => {
  it('agrees with V8 on every pattern of the table under every flag set', async () => {
    const ctx = await loadContext({ text: LOG })
    let compared = 0
    for (const source of PATTERNS) {
      for (const flags of FLAGS) {
        // ^/$ with the m flag treat only \n as a line end (documented): skip them on CRLF text.
        const crlf = flags.includes('m') && /[\^$]/.test(source)
        const text = crlf ? LOG.replace(/\r/g, '') : LOG
        const c = crlf ? await loadContext({ text }) : ctx
        for (const from of [0, 17]) {
          const limit = flags.includes('g') ? undefined : 1
          const got = c.execRegExp({ source, flags }, { from, ...(limit && { limit }) })
          expect(got, `/${source}/${flags} from ${from}`).toEqual(v8Exec(text, source, flags, from, limit))
          compared++
        }
      }
    }
    expect(compared).toBe(PATTERNS.length * FLAGS.length * 2)
  })

  it('reports named groups, numbered captures and groups that did not take part', async () => {
    const ctx = await loadContext({ text: 'FATAL [db] x\nFATAL [api] y' })
    const [first] = ctx.execRegExp(/FATAL \[(?<svc>[a-z]+)\](?: (z))?/, { limit: 1 })
    expect(first).toEqual({
      index: 0,
      end: 10,
      captures: ['FATAL [db]', 'db', null],
      groups: { svc: 'db' },
    })
  })

  it('counts offsets in UTF-16 units and advances empty matches by a whole character', async () => {
    const text = 'a😀b中'
    const ctx = await loadContext({ text })
    expect(ctx.execRegExp(/x*/gu)).toEqual(v8Exec(text, 'x*', 'gu'))
    expect(ctx.execRegExp(/./gu).map((m) => [m.index, m.captures[0]])).toEqual([
      [0, 'a'],
      [1, '😀'],
      [3, 'b'],
      [4, '中'],
    ])
  })

  it('gives `.` and \\s their JavaScript meaning (no \\r for `.`, NBSP and U+2028 for \\s)', async () => {
    const text = 'a\rb c\u00a0d\u2028e'
    const ctx = await loadContext({ text })
    expect(ctx.execRegExp(/a.b/g)).toEqual([])
    expect(ctx.execRegExp(/\s/g).map((m) => m.index)).toEqual([1, 3, 5, 7])
    expect(ctx.execRegExp(/[\s]+/g)).toEqual(v8Exec(text, '[\\s]+', 'g'))
  })

  it('matches across document boundaries, as on the whole text', async () => {
    const ctx = await loadContext({
      documents: [
        { name: 'a', text: 'x end' },
        { name: 'b', text: 'start y' },
      ],
    })
    expect(ctx.execRegExp(/end\nstart/g).map((m) => m.index)).toEqual([2])
  })

  it('throws E_UNSUPPORTED, naming the alternative, for what the engine cannot run', async () => {
    const ctx = await loadContext({ text: 'abc' })
    for (const [source, flags, feature] of [
      ['a(?=b)', '', /lookahead or lookbehind/],
      ['(?<!x)b', '', /lookahead or lookbehind/],
      ['(a)\\1', '', /backreferences/],
      ['(?<n>a)\\k<n>', '', /backreferences/],
      ['a', 'd', /the d flag/],
      ['a', 'v', /the v flag/],
      ['a{1001}', '', /repeat count/],
    ] as const) {
      expect(() => ctx.execRegExp({ source, flags })).toThrow(
        expect.objectContaining({ code: 'E_UNSUPPORTED', message: expect.stringMatching(feature) }),
      )
    }
    expect(() => ctx.execRegExp({ source: 'a(?=b)', flags: '' })).toThrow(
      /run the regex on a slice of the text/,
    )
    expect(() => ctx.execRegExp({ source: '(a', flags: '' })).toThrow(
      expect.objectContaining({ code: 'E_BAD_PATTERN' }),
    )
  })

  it('stops with E_LIMIT past maxMatches or maxResultChars instead of returning part of the matches', async () => {
    const ctx = await loadContext({ text: 'a '.repeat(100) })
    expect(ctx.execRegExp(/a/g, { maxMatches: 100 })).toHaveLength(100)
    expect(() => ctx.execRegExp(/a/g, { maxMatches: 99 })).toThrow(
      expect.objectContaining({ code: 'E_LIMIT', message: expect.stringMatching(/more than 99 matches/) }),
    )
    expect(() => ctx.execRegExp(/a/g, { maxResultChars: 500 })).toThrow(
      expect.objectContaining({ code: 'E_LIMIT' }),
    )
  })

  it('finds matches in a large line-local scan at the same places as V8', async () => {
    const line = (i: number) => (i % 997 === 0 ? `line ${i} FATAL [svc${i % 7}] boom` : `line ${i} ok`)
    const text = Array.from({ length: 60_000 }, (_, i) => line(i)).join('\n')
    const ctx = await loadContext({ text })
    const source = 'FATAL \\[(?<svc>\\w+)\\]'
    expect(ctx.execRegExp({ source, flags: 'g' })).toEqual(v8Exec(text, source, 'g'))
    expect(ctx.execRegExp({ source: '^line \\d+ ok$', flags: 'gm' }).length).toBe(60_000 - 61)
  })
})
