// Deterministic English-like benchmark contexts of an exact byte size (ASCII, numbered lines of
// seeded random words) with one needle line a third of the way in, as a string or a file.
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const NEEDLE = 'The vault access code is QX-4471-ZEBRA.'

const WORDS =
  'the of and to in is was for on that with as by at from it an be this which or are have not had but were his they one all their there been has when who will more no if out so said what up its about into than them can only other new some could time these two may then do first any my now such like our over man me even most made after also did many before must through back years where much your way well down should because each just those people how too little state good very make world still own see men work long get here between both life being under never day same another know while last might us great old year off come since against go came right used take three'.split(
    ' ',
  )

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Yields ASCII blocks of about `blockBytes` each, `bytes` in total. */
function* textBlocks(bytes: number, seed: number, blockBytes = 1 << 20): Generator<string> {
  const rand = mulberry32(seed)
  const pool: string[] = []
  for (let i = 0; i < 4096; i++) {
    const n = 8 + Math.floor(rand() * 14)
    const words: string[] = []
    for (let w = 0; w < n; w++) words.push(WORDS[Math.floor(rand() * WORDS.length)] as string)
    pool.push(`${words.join(' ')}.`)
  }
  const needleAt = Math.floor(bytes / 3)
  let written = 0
  let line = 0
  let needleDone = false
  while (written < bytes) {
    const parts: string[] = []
    let size = 0
    while (size < blockBytes && written + size < bytes) {
      line++
      let text = `${line} ${pool[Math.floor(rand() * pool.length)]}\n`
      if (!needleDone && written + size + text.length > needleAt) {
        text = `${line} ${NEEDLE}\n`
        needleDone = true
      }
      const room = bytes - written - size
      if (text.length > room) text = text.slice(0, room)
      parts.push(text)
      size += text.length
    }
    written += size
    yield parts.join('')
  }
}

/** A context string of exactly `bytes` ASCII characters. */
export function makeText(bytes: number, seed = 1): string {
  return [...textBlocks(bytes, seed)].join('')
}

/** Writes (once; reused while the size matches) a context file of exactly `bytes` bytes. */
export function makeTextFile(bytes: number, seed = 1): string {
  const path = join(tmpdir(), `rlm-bench-context-${bytes}-${seed}.txt`)
  if (existsSync(path) && statSync(path).size === bytes) return path
  const fd = openSync(path, 'w')
  try {
    for (const block of textBlocks(bytes, seed)) writeSync(fd, block)
  } finally {
    closeSync(fd)
  }
  return path
}

export const MiB = 2 ** 20
