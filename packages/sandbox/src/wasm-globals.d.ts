// The few WebAssembly globals we use: @types/node does not declare them without the DOM lib.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer)
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number })
    readonly buffer: ArrayBuffer
    grow(pages: number): number
  }
  function compile(bytes: ArrayBufferView | ArrayBuffer): Promise<Module>
}
