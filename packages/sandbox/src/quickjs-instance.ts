/// <reference path="./wasm-globals.d.ts" />
// One QuickJS WebAssembly instance per worker with a hard memory cap, plus the one internal
// fast path we rely on: adopting bjson-encoded string bytes straight into the guest heap.
import variant from '@jitl/quickjs-wasmfile-release-sync'
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSSyncVariant,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core'
import { MIN_PAGES } from './memory-pages.ts'

export interface QuickJSInstance {
  module: QuickJSWASMModule
  memory: WebAssembly.Memory
  pages: number
}

export async function instantiateQuickJS(
  wasmModule: WebAssembly.Module,
  pages: number,
): Promise<QuickJSInstance> {
  // `maximum` is the real cap: setMemoryLimit alone does not bound an emscripten heap.
  const memory = new WebAssembly.Memory({ initial: MIN_PAGES, maximum: pages })
  const module = await newQuickJSWASMModuleFromVariant(
    // The package's default export is typed as any variant (sync or async); this one is sync.
    newVariant(variant as unknown as QuickJSSyncVariant, { wasmModule, wasmMemory: memory }),
  )
  return { module, memory, pages }
}

/** Internals of QuickJSContext that 0.32 keeps protected; checked at first use. */
interface ContextInternals {
  ctx: { value: number }
  ffi: {
    QTS_NewArrayBuffer(ctx: number, ptr: number, length: number): number
    QTS_bjson_decode(ctx: number, data: number): number
    QTS_ResolveException(ctx: number, ptr: number): number
    QTS_FreeValuePointer(ctx: number, ptr: number): void
  }
  module: { _malloc(bytes: number): number; HEAPU8: Uint8Array }
  memory: { heapValueHandle(ptr: number): QuickJSHandle }
}

export class GuestOutOfMemory extends Error {
  override name = 'GuestOutOfMemory'
}

/**
 * Creates a guest value from bjson bytes (see bjson-string.ts): copy into the WASM heap, wrap as an
 * ArrayBuffer that owns the copy, decode. QuickJS memcpys the characters; no UTF-8 pass in JS.
 */
export function newValueFromBjson(context: QuickJSContext, bytes: Uint8Array): QuickJSHandle {
  // No public API adopts bytes into the guest heap; ContextInternals names the fields we use.
  const internals = context as unknown as ContextInternals
  const { ffi, module, memory } = internals
  const ctx = internals.ctx.value
  const ptr = module._malloc(bytes.length)
  if (!ptr) throw new GuestOutOfMemory('the guest heap has no room for this value')
  module.HEAPU8.set(bytes, ptr) // re-read HEAPU8: malloc may have grown (and replaced) the buffer
  const buffer = memory.heapValueHandle(ffi.QTS_NewArrayBuffer(ctx, ptr, bytes.length))
  try {
    const resultPtr = ffi.QTS_bjson_decode(ctx, buffer.value)
    const errorPtr = ffi.QTS_ResolveException(ctx, resultPtr)
    if (errorPtr) {
      ffi.QTS_FreeValuePointer(ctx, resultPtr)
      memory.heapValueHandle(errorPtr).dispose()
      throw new GuestOutOfMemory('the guest heap has no room for this value')
    }
    return memory.heapValueHandle(resultPtr)
  } finally {
    buffer.dispose()
  }
}
