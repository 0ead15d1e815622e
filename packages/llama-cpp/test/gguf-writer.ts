// A minimal GGUF v3 writer for the tests: a header, typed key/value metadata, tensor descriptors
// and 32-byte-aligned f32 data — enough to hand llama.cpp a model it loads, with no weights to
// download.

/** GGUF metadata value types (gguf.h: GGUF_TYPE_*). */
const TYPE = { u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9 } as const

export type GgufValue =
  | { type: 'u32' | 'i32' | 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'array'; of: 'string'; value: string[] }
  | { type: 'array'; of: 'f32' | 'i32'; value: number[] }

export interface GgufTensor {
  name: string
  /** ggml order: the first dimension is the innermost (a row's length). */
  dims: number[]
  data: Float32Array
}

const ALIGNMENT = 32
const GGML_TYPE_F32 = 0

class ByteSink {
  private readonly chunks: Buffer[] = []
  length = 0

  push(chunk: Buffer): void {
    this.chunks.push(chunk)
    this.length += chunk.length
  }
  u32(n: number): void {
    const b = Buffer.alloc(4)
    b.writeUInt32LE(n)
    this.push(b)
  }
  i32(n: number): void {
    const b = Buffer.alloc(4)
    b.writeInt32LE(n)
    this.push(b)
  }
  u64(n: number): void {
    const b = Buffer.alloc(8)
    b.writeBigUInt64LE(BigInt(n))
    this.push(b)
  }
  f32(n: number): void {
    const b = Buffer.alloc(4)
    b.writeFloatLE(n)
    this.push(b)
  }
  string(s: string): void {
    const bytes = Buffer.from(s, 'utf8')
    this.u64(bytes.length)
    this.push(bytes)
  }
  padTo(alignment: number): void {
    const pad = (alignment - (this.length % alignment)) % alignment
    if (pad > 0) this.push(Buffer.alloc(pad))
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks)
  }
}

function writeValue(out: ByteSink, v: GgufValue): void {
  out.u32(TYPE[v.type])
  if (v.type === 'array') {
    out.u32(TYPE[v.of])
    out.u64(v.value.length)
    for (const item of v.value) {
      if (v.of === 'string') out.string(item as string)
      else if (v.of === 'f32') out.f32(item as number)
      else out.i32(item as number)
    }
  } else if (v.type === 'string') out.string(v.value)
  else if (v.type === 'bool') out.push(Buffer.from([v.value ? 1 : 0]))
  else if (v.type === 'u32') out.u32(v.value)
  else if (v.type === 'i32') out.i32(v.value)
  else out.f32(v.value)
}

/** The bytes of a GGUF v3 file with these metadata entries and f32 tensors. */
export function writeGguf(metadata: Record<string, GgufValue>, tensors: GgufTensor[]): Buffer {
  const out = new ByteSink()
  out.push(Buffer.from('GGUF', 'ascii'))
  out.u32(3)
  out.u64(tensors.length)
  out.u64(Object.keys(metadata).length)
  for (const [key, value] of Object.entries(metadata)) {
    out.string(key)
    writeValue(out, value)
  }
  let offset = 0
  const offsets: number[] = []
  for (const t of tensors) {
    const elements = t.dims.reduce((a, b) => a * b, 1)
    if (elements !== t.data.length) throw new Error(`tensor ${t.name}: ${t.data.length} values for ${t.dims}`)
    out.string(t.name)
    out.u32(t.dims.length)
    for (const d of t.dims) out.u64(d)
    out.u32(GGML_TYPE_F32)
    out.u64(offset)
    offsets.push(offset)
    offset += Math.ceil((elements * 4) / ALIGNMENT) * ALIGNMENT
  }
  out.padTo(ALIGNMENT)
  for (const t of tensors) {
    out.push(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength))
    out.padTo(ALIGNMENT)
  }
  return out.toBuffer()
}
