// A small seeded PRNG (sfc32 seeded through a string hash) so every task is reproducible
// from (suite, size, seed, index) alone, on any machine and Node version.

export interface Rng {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [min, max], inclusive. */
  int(min: number, max: number): number
  pick<T>(items: readonly T[]): T
  shuffle<T>(items: T[]): T[]
}

/** 32-bit FNV-1a hashes of the parts, mixed into four sfc32 state words. */
function seedWords(key: string): [number, number, number, number] {
  const words: [number, number, number, number] = [0, 0, 0, 0]
  for (let w = 0; w < 4; w++) {
    let h = (0x811c9dc5 ^ (w * 0x9e3779b1)) >>> 0
    for (let i = 0; i < key.length; i++) {
      h ^= key.charCodeAt(i)
      h = Math.imul(h, 0x01000193) >>> 0
    }
    words[w] = h
  }
  return words
}

export function createRng(...parts: Array<string | number>): Rng {
  let [a, b, c, d] = seedWords(parts.join('\u0000'))
  const next = (): number => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    let t = (a + b) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    d = (d + 1) | 0
    t = (t + d) | 0
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  // Warm up: the first outputs of sfc32 correlate with the seed words.
  for (let i = 0; i < 12; i++) next()
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
  return {
    next,
    int,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick() needs a non-empty list')
      return items[int(0, items.length - 1)] as (typeof items)[number]
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(0, i)
        const tmp = items[i] as (typeof items)[number]
        items[i] = items[j] as (typeof items)[number]
        items[j] = tmp
      }
      return items
    },
  }
}
