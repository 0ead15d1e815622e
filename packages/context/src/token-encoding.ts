// Which tiktoken encoding a model family uses, and one shared encoder per encoding (WASM:
// created lazily, freed on demand).
import { createRequire } from 'node:module'
import type { Tiktoken, TiktokenEncoding } from 'tiktoken'

// tiktoken compiles its WASM when it is imported (18 MiB of RSS in each thread that loads it), so
// it is loaded on the first exact count: loading, searching and estimating never need it.
const require = createRequire(import.meta.url)
let tiktoken: typeof import('tiktoken') | undefined

export type TokenEncodingName = 'o200k_base' | 'cl100k_base' | 'p50k_base' | 'r50k_base'

export const DEFAULT_ENCODING: TokenEncodingName = 'o200k_base'

/** o200k_base for current models; cl100k_base for GPT-4/3.5-era and embedding models. */
export function encodingForModel(model: string | undefined): TokenEncodingName {
  if (!model) return DEFAULT_ENCODING
  const m = model.toLowerCase()
  if (/gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|^o\d|\/o\d|chatgpt-4o|gpt-oss/.test(m)) return 'o200k_base'
  if (/gpt-4|gpt-3\.5|text-embedding-3|text-embedding-ada/.test(m)) return 'cl100k_base'
  if (/davinci-00[23]|code-/.test(m)) return 'p50k_base'
  return DEFAULT_ENCODING
}

const encoders = new Map<TokenEncodingName, Tiktoken>()
const tokenBytes = new Map<TokenEncodingName, Uint8Array>()

export function getEncoder(name: TokenEncodingName): Tiktoken {
  let enc = encoders.get(name)
  if (!enc) {
    tiktoken ??= require('tiktoken') as typeof import('tiktoken')
    enc = tiktoken.get_encoding(name as TiktokenEncoding)
    encoders.set(name, enc)
  }
  return enc
}

/** Byte length of every token id, so token boundaries map to text offsets without decoding. */
export function tokenByteLengths(name: TokenEncodingName): Uint8Array {
  let lens = tokenBytes.get(name)
  if (!lens) {
    const enc = getEncoder(name)
    const table: number[] = []
    // Ordinary ids are contiguous from 0; stop at the first long run of unknown ids.
    for (let id = 0, misses = 0; misses < 64; id++) {
      try {
        table.push(enc.decode_single_token_bytes(id).length)
        misses = 0
      } catch {
        table.push(0)
        misses++
      }
    }
    lens = Uint8Array.from(table)
    tokenBytes.set(name, lens)
  }
  return lens
}

/** Releases the WASM memory of every cached encoder (they are re-created on next use). */
export function freeEncoders(): void {
  for (const enc of encoders.values()) enc.free()
  encoders.clear()
  tokenBytes.clear()
}
