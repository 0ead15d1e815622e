import { describe, expect, it } from 'vitest'
import { createSandbox } from '../src/index.ts'
import { sandboxOpener, valueOfRun } from './sandbox-harness.ts'

const sandbox = sandboxOpener({ timeoutMs: 5000 })

const DRAW = '[Math.random(), Math.random(), Math.random()]'

describe('seed: a seeded Math.random', () => {
  it('draws the same numbers in the same order for the same seed, across cells too', async () => {
    const a = await sandbox({ seed: 42 })
    const b = await sandbox({ seed: 42 })
    const first = valueOfRun(await a.run(DRAW)) as number[]
    expect(valueOfRun(await b.run(DRAW))).toEqual(first)
    expect(valueOfRun(await a.run(DRAW))).toEqual(valueOfRun(await b.run(DRAW)))
    for (const n of first) {
      expect(n).toBeGreaterThanOrEqual(0)
      expect(n).toBeLessThan(1)
    }
  })

  it('draws different numbers for different seeds, high bits of the seed included', async () => {
    const draws = await Promise.all(
      [1, 2, 2 ** 40 + 1].map(async (seed) => valueOfRun(await (await sandbox({ seed })).run(DRAW))),
    )
    expect(new Set(draws.map((d) => JSON.stringify(d))).size).toBe(3)
  })

  it('is sfc32 seeded through splitmix32 from both halves of the seed, 53 bits per number, as documented', async () => {
    for (const seed of [42, 2 ** 40 + 7]) {
      const sb = await sandbox({ seed })
      expect(valueOfRun(await sb.run(DRAW))).toEqual(referenceDraws(seed, 3))
    }
  })

  it('spreads its numbers over [0, 1)', async () => {
    const sb = await sandbox({ seed: 7 })
    const buckets = valueOfRun(
      await sb.run(
        'const b = [0,0,0,0,0,0,0,0,0,0]; for (let i = 0; i < 10000; i++) b[Math.floor(Math.random() * 10)]++; b',
      ),
    ) as number[]
    for (const n of buckets) expect(n).toBeGreaterThan(800)
  })
})

describe('clockStartMs: a deterministic guest clock', () => {
  it('reads the start first and advances 1 ms per read, in every form of Date', async () => {
    const sb = await sandbox({ clockStartMs: 1_000_000 })
    expect(
      valueOfRun(
        await sb.run('[Date.now(), new Date().getTime(), Date(), new Date(5).getTime(), Date.now()]'),
      ),
    ).toEqual([1_000_000, 1_000_001, expect.stringContaining('Jan 01 1970 00:16:40'), 5, 1_000_003])
    expect(valueOfRun(await sb.run('Date.now()'))).toBe(1_000_004)
  })

  it('keeps Date a working constructor: prototype, instanceof, subclasses, parse and UTC', async () => {
    const sb = await sandbox({ clockStartMs: 0 })
    expect(
      valueOfRun(
        await sb.run(
          `class Later extends Date { later() { return this.getTime() + 1 } }
          const l = new Later()
          ;[new Date() instanceof Date, Date.prototype.constructor === Date, l instanceof Later, l.later(),
            Date.parse('1970-01-02T00:00:00Z'), Date.UTC(1970, 0, 3), Date.length, Date.name,
            new Date(2020, 1, 1).getFullYear(), JSON.stringify(new Date(0))]`,
        ),
      ),
    ).toEqual([true, true, true, 1, 86_400_000, 172_800_000, 7, 'Date', 2020, '"1970-01-01T00:00:00.000Z"'])
  })

  it('leaves no route from the guest to the real clock or the unseeded generator', async () => {
    const sb = await sandbox({ seed: 1, clockStartMs: 0 })
    const times = valueOfRun(
      await sb.run(
        `const f = () => 0
        const out = [
          new (Object.getPrototypeOf(new Date()).constructor)().getTime(),
          Reflect.construct(Object.getPrototypeOf(new Date()).constructor, []).getTime(),
          f['constr' + 'uctor']('return Date.now()')(),
          (0, globalThis['ev' + 'al'])('new Date().getTime()'),
        ]
        delete Date.now
        delete Math.random
        out.push(typeof Math.random, typeof Date.now, new Date().getTime())
        out`,
      ),
    )
    expect(times).toEqual([1, 3, 4, 5, 'undefined', 'undefined', 6])
  })

  it('is the real clock and an unseeded Math.random without the options', async () => {
    const before = Date.now()
    const [a, b] = await Promise.all([sandbox(), sandbox()])
    const [now, draw] = valueOfRun(await a.run(`[Date.now(), ${DRAW}]`)) as [number, number[]]
    expect(now).toBeGreaterThanOrEqual(before)
    expect(valueOfRun(await b.run(DRAW))).not.toEqual(draw)
  })

  it('rejects a bad seed or clock start with E_CONFIG', async () => {
    for (const options of [{ seed: -1 }, { seed: 0.5 }, { seed: 2 ** 53 }, { clockStartMs: 9e15 }]) {
      await expect(createSandbox(options)).rejects.toMatchObject({ code: 'E_CONFIG' })
    }
  })
})

/** The documented generator, written plainly on unsigned 32-bit numbers. */
function referenceDraws(seed: number, count: number): number[] {
  let z = ((seed % 2 ** 32) ^ Math.imul(Math.floor(seed / 2 ** 32), 0x9e3779b9)) >>> 0
  const split = (): number => {
    z = (z + 0x9e3779b9) >>> 0
    let t = z ^ (z >>> 16)
    t = Math.imul(t, 0x21f0aaad)
    t ^= t >>> 15
    t = Math.imul(t, 0x735a2d97)
    return (t ^ (t >>> 15)) >>> 0
  }
  let [a, b, c, d] = [split(), split(), split(), split()]
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = ((c << 21) | (c >>> 11)) >>> 0
    c = (c + t) >>> 0
    return t
  }
  for (let i = 0; i < 12; i++) next()
  return Array.from({ length: count }, () => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992)
}
