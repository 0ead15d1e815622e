import { createHash } from 'node:crypto'
import { createScripted } from '@rlm/providers'
import { describe, expect, it } from 'vitest'
import { createRlm } from '../src/index.ts'
import { js } from './scripted.ts'

// One behaviour at every size: the same guest calls over a plain-string context (inline) and a
// host-backed one (contextInlineLimit: 0) must give the same results. The calls are generated
// from a seed, with patterns inside what the linear-time engine runs and outside the documented
// edge differences (CR or U+2028 with ^/$ under m, astral characters without u, captures inside
// repeated groups, repeated groups that can match empty).

/** Deterministic numbers in [0, 1) from a seed: the same corpus on every run. */
function seeded(seed: string): () => number {
  let n = 0
  return () => createHash('sha256').update(`${seed}:${n++}`).digest().readUInt32BE(0) / 2 ** 32
}

const WORDS = [
  'alpha',
  'beta',
  'gamma',
  'FATAL',
  'error',
  'café',
  'naïve',
  '中文',
  'id',
  'x9',
  'Retry',
  'end',
]

function makeText(rand: () => number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T
  const lines: string[] = []
  for (let i = 0; i < 120; i++) {
    if (rand() < 0.08) {
      lines.push('')
      continue
    }
    const n = 2 + Math.floor(rand() * 7)
    const parts = [`${10 + i}:${Math.floor(rand() * 60)}`]
    for (let k = 0; k < n; k++) {
      const r = rand()
      parts.push(
        r < 0.6
          ? pick(WORDS)
          : r < 0.8
            ? String(Math.floor(rand() * 5000))
            : pick(['-', '[db]', '(x)', '—', '\t', 'a-b', '…']),
      )
    }
    lines.push(parts.join(rand() < 0.2 ? '  ' : ' '))
  }
  return lines.join('\n')
}

/**
 * A regex source and flags from a small grammar (see the header for what it leaves out). So that
 * QuickJS's backtracking engine stays fast on the inline side, only classes that stop at a line
 * end take * and +, and a repeated group holds single characters.
 */
function makeRegExp(rand: () => number): { source: string; flags: string } {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T
  let flags = ''
  for (const [f, p] of [
    ['g', 0.5],
    ['i', 0.3],
    ['m', 0.3],
    ['s', 0.15],
    ['u', 0.2],
    ['y', 0.1],
  ] as const)
    if (rand() < p) flags += f
  const chars = ['a', 'e', 'l', 'r', 'F', 'T', '1', '0', ' ', ':', '-', 'é', '中', '\\[', '\\]', '\\.', 'x']
  const inLine = ['[a-z]', '[0-9]', '[^ \\n]', '[a-cx-z]', '[é中]', '\\d', '\\w', '\\S', '[\\w-]', '[A-Z]']
  const crossing = ['\\s', '\\D', '\\W', '[\\s,:]', '.']
  if (!flags.includes('s')) inLine.push('.')
  const any = ['', '', '', '*', '+', '?', '{1,3}', '{2}', '*?', '+?', '??']
  const bounded = ['', '', '?', '{1,3}', '{2}', '??']
  const atom = (): string => {
    const r = rand()
    if (r < 0.4) return pick(chars) + pick(any)
    if (r < 0.8) return pick(inLine) + pick(any)
    return pick(crossing) + pick(bounded)
  }
  const single = (): string => (rand() < 0.5 ? pick(chars) : pick(inLine))
  let groups = 0
  const piece = (depth: number): string => {
    const r = rand()
    if (depth < 2 && r < 0.15) return `(${seq(depth + 1)})`
    if (depth < 2 && r < 0.25) return `(?<g${++groups}>${seq(depth + 1)})`
    if (depth < 2 && r < 0.35) {
      const alts = [0, 1].map(() => Array.from({ length: 1 + Math.floor(rand() * 2) }, single).join(''))
      return `(?:${alts.join('|')})${pick(['', '+', '?'])}`
    }
    return atom()
  }
  const seq = (depth: number): string =>
    Array.from({ length: 1 + Math.floor(rand() * 3) }, () => piece(depth)).join('')
  let source = seq(0)
  if (rand() < 0.2) source = `${pick(['^', '\\b', '\\B'])}${source}`
  if (rand() < 0.2) source = `${source}${pick(['$', '\\b'])}`
  if (rand() < 0.12) source = `${source}|${seq(1)}`
  if (rand() < 0.15)
    source = pick(['FATAL (\\d+)', '(?<word>[a-zé]+)-(?<num>\\d+)', '(\\w+) (\\w+)$', 'é|中+', '\\t(.)'])
  return { source, flags }
}

function makeCalls(rand: () => number, text: string): string[] {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1))
  const pos = () =>
    pick([
      0,
      1,
      int(0, text.length),
      -int(1, 50),
      text.length,
      text.length + 5,
      2.7,
      -Infinity,
      Infinity,
      'NaN',
    ])
  const word = () => JSON.stringify(pick([...WORDS, '', ' ', '\n', 'zz-not-there', text.slice(100, 108)]))
  const calls: string[] = []
  while (calls.length < 220) {
    const { source, flags } = makeRegExp(rand)
    const re = `/${source}/${flags}`
    const g = flags.includes('g') ? flags : `${flags}g`
    switch (int(0, 9)) {
      case 0:
      case 1:
        calls.push(`context.match(${re})`)
        break
      case 2:
        calls.push(`[...context.matchAll(/${source}/${g})]`)
        break
      case 3:
        calls.push(`context.search(${re})`)
        break
      case 4:
        calls.push(`context.split(${re}${rand() < 0.4 ? `, ${int(0, 6)}` : ''})`)
        break
      case 5:
        calls.push(
          `context.replace(${re}, ${JSON.stringify(pick(['<$&>', '[$1|$2]', '$<g1>$$', "$`'", "($')", '$01$10']))})`,
        )
        break
      case 6:
        calls.push(`context.replace(${re}, (m, ...a) => '{' + m.length + ':' + a.length + '}')`)
        break
      case 7:
        calls.push(`context.replaceAll(/${source}/${g}, '#')`)
        break
      case 8:
        calls.push(
          `((r) => [context.match(r), r.lastIndex])(Object.assign(/${source}/${flags.replace(/[gy]/g, '')}y, { lastIndex: ${int(0, 400)} }))`,
        )
        break
      default:
        calls.push(
          `((r) => [r.exec ? context.search(r) : 0, context.match(r), r.lastIndex])(Object.assign(${re}, { lastIndex: 7 }))`,
        )
    }
  }
  const string = [
    () => `context.slice(${pos()}, ${pos()})`,
    () => `context.slice(${pos()})`,
    () => `context.substring(${pos()}, ${pos()})`,
    () => `context.substr(${pos()}, ${pick([5, 40, -3, 'undefined'])})`,
    () => `context.indexOf(${word()}, ${pos()})`,
    () => `context.lastIndexOf(${word()}${rand() < 0.5 ? `, ${pos()}` : ''})`,
    () => `context.includes(${word()}, ${pos()})`,
    () => `context.startsWith(${word()}, ${pos()})`,
    () => `context.endsWith(${word()}, ${pos()})`,
    () =>
      `[context.at(${pos()}), context.charAt(${pos()}), context.charCodeAt(${pos()}), context.codePointAt(${pos()}), context[${int(0, text.length + 2)}]]`,
    () => `context.split(${word()}${rand() < 0.5 ? `, ${int(0, 8)}` : ''})`,
    () => `[context.length, context.split().length, String(context).length]`,
    () => `[...context].slice(${int(0, 200)}, ${int(200, 400)}).join('|')`,
  ]
  for (let i = 0; i < 100; i++) calls.push(pick(string)())
  return calls
}

const SNAP = `const snap = (v) => {
  if (v && typeof v === 'object' && !Array.isArray(v) && typeof v[Symbol.iterator] === 'function') v = [...v]
  if (Array.isArray(v)) return { arr: v.map(snap), index: v.index, groups: v.groups === undefined ? '(none)' : { ...v.groups } }
  if (typeof v === 'number' && v !== v) return 'NaN'
  if (v === Infinity || v === -Infinity) return String(v)
  return v === undefined ? '(undefined)' : v
}`

async function runCalls(text: string, calls: string[], inline: boolean): Promise<unknown[]> {
  const code = `${SNAP}\nconst calls = [\n${calls.map((c) => `() => ${c}`).join(',\n')}\n]\nFINAL(calls.map((f) => { try { return snap(f()) } catch (e) { return { threw: e.name } } }))`
  const rlm = createRlm({ model: createScripted([js(code)]), contextInlineLimit: inline ? 100_000_000 : 0 })
  const r = await rlm.run({ query: 'q', context: text })
  expect(r.status, r.tree.iterations[0]?.output).toBe('final')
  return JSON.parse(r.answer) as unknown[]
}

describe('context: one behaviour at every size', () => {
  it('gives the same results inline and host-backed for 320 generated calls', async () => {
    const rand = seeded('context-differential')
    const text = makeText(rand)
    const calls = makeCalls(rand, text)
    expect(calls.length).toBeGreaterThanOrEqual(300)
    const [inline, hosted] = await Promise.all([runCalls(text, calls, true), runCalls(text, calls, false)])
    const differ = calls.flatMap((call, i) =>
      JSON.stringify(inline[i]) === JSON.stringify(hosted[i])
        ? []
        : [
            {
              call,
              inline: JSON.stringify(inline[i])?.slice(0, 300),
              hosted: JSON.stringify(hosted[i])?.slice(0, 300),
            },
          ],
    )
    expect(differ).toEqual([])
    // The corpus exercises matches, captures, named groups and errors, not only empty results.
    const flat = JSON.stringify(inline)
    expect(flat).toContain('"groups":{"g1"')
    expect(inline.filter((x) => x === null).length).toBeLessThan(calls.length / 3)
  })
})
