// A tiny llama-architecture model with pseudo-random weights and a byte-level SentencePiece
// vocabulary (three specials, the 256 byte tokens <0x00>..<0xFF> and '▁'), written as GGUF for the
// real llama.cpp runtime to load (~160 KB). It produces noise, so tests steer it with a grammar.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type GgufTensor, type GgufValue, writeGguf } from './gguf-writer.ts'

export interface TinyModelOptions {
  /** The context length the file declares (llama.context_length). */
  contextLength?: number
  /** A Jinja chat template stored as tokenizer.chat_template; none by default. */
  chatTemplate?: string
  seed?: number
}

const EMBED = 32
const HEADS = 2
const LAYERS = 2
const FEED_FORWARD = 64
const SPECIALS = ['<unk>', '<s>', '</s>']
// SentencePiece token types: 1 normal, 2 unknown, 3 control, 6 byte.
const SPECIAL_TYPES = [2, 3, 3]
const BYTE_TYPE = 6
// SentencePiece writes a space as '▁'; as a token of its own it detokenizes back to a space.
const SPACE = '\u2581'

/** A deterministic weight in [-0.1, 0.1): the same file on every run, nothing to tune. */
const weight = (i: number, seed: number): number =>
  ((Math.sin(i * 12.9898 + seed * 78.233) * 43758.5453) % 1) * 0.1

function vocabulary(): { tokens: string[]; types: number[] } {
  const bytes = Array.from({ length: 256 }, (_, i) => `<0x${i.toString(16).toUpperCase().padStart(2, '0')}>`)
  return {
    tokens: [...SPECIALS, ...bytes, SPACE],
    types: [...SPECIAL_TYPES, ...bytes.map(() => BYTE_TYPE), 1],
  }
}

function tensors(vocab: number, seed: number): GgufTensor[] {
  let drawn = 0
  const weights = (name: string, dims: number[]): GgufTensor => {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1))
    for (let i = 0; i < data.length; i++) data[i] = weight(drawn++, seed)
    return { name, dims, data }
  }
  const ones = (name: string): GgufTensor => ({ name, dims: [EMBED], data: new Float32Array(EMBED).fill(1) })
  const list = [weights('token_embd.weight', [EMBED, vocab])]
  for (let layer = 0; layer < LAYERS; layer++) {
    const b = `blk.${layer}`
    list.push(
      ones(`${b}.attn_norm.weight`),
      weights(`${b}.attn_q.weight`, [EMBED, EMBED]),
      weights(`${b}.attn_k.weight`, [EMBED, EMBED]),
      weights(`${b}.attn_v.weight`, [EMBED, EMBED]),
      weights(`${b}.attn_output.weight`, [EMBED, EMBED]),
      ones(`${b}.ffn_norm.weight`),
      weights(`${b}.ffn_gate.weight`, [EMBED, FEED_FORWARD]),
      weights(`${b}.ffn_up.weight`, [EMBED, FEED_FORWARD]),
      weights(`${b}.ffn_down.weight`, [FEED_FORWARD, EMBED]),
    )
  }
  list.push(ones('output_norm.weight'), weights('output.weight', [EMBED, vocab]))
  return list
}

/** The GGUF bytes of the tiny model. */
export function tinyLlamaGguf(options: TinyModelOptions = {}): Buffer {
  const { tokens, types } = vocabulary()
  const u32 = (value: number): GgufValue => ({ type: 'u32', value })
  const metadata: Record<string, GgufValue> = {
    'general.architecture': { type: 'string', value: 'llama' },
    'general.name': { type: 'string', value: 'rlm-tiny-test' },
    'general.alignment': u32(32),
    'llama.context_length': u32(options.contextLength ?? 16_384),
    'llama.embedding_length': u32(EMBED),
    'llama.block_count': u32(LAYERS),
    'llama.feed_forward_length': u32(FEED_FORWARD),
    'llama.attention.head_count': u32(HEADS),
    'llama.attention.head_count_kv': u32(HEADS),
    'llama.rope.dimension_count': u32(EMBED / HEADS),
    'llama.attention.layer_norm_rms_epsilon': { type: 'f32', value: 1e-5 },
    'llama.vocab_size': u32(tokens.length),
    'tokenizer.ggml.model': { type: 'string', value: 'llama' },
    'tokenizer.ggml.tokens': { type: 'array', of: 'string', value: tokens },
    'tokenizer.ggml.scores': { type: 'array', of: 'f32', value: tokens.map(() => 0) },
    'tokenizer.ggml.token_type': { type: 'array', of: 'i32', value: types },
    'tokenizer.ggml.unknown_token_id': u32(0),
    'tokenizer.ggml.bos_token_id': u32(1),
    'tokenizer.ggml.eos_token_id': u32(2),
    'tokenizer.ggml.add_bos_token': { type: 'bool', value: true },
    'tokenizer.ggml.add_eos_token': { type: 'bool', value: false },
    'tokenizer.ggml.add_space_prefix': { type: 'bool', value: false },
  }
  if (options.chatTemplate !== undefined)
    metadata['tokenizer.chat_template'] = { type: 'string', value: options.chatTemplate }
  return writeGguf(metadata, tensors(tokens.length, options.seed ?? 7))
}

/** Writes the tiny model to a fresh temporary folder and returns its path. */
export function writeTinyModel(options: TinyModelOptions = {}, name = 'tiny-llama.gguf'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'rlm-llama-cpp-')), name)
  writeFileSync(path, tinyLlamaGguf(options))
  return path
}
