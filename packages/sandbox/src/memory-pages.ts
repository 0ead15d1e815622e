/// <reference path="./wasm-globals.d.ts" />
// How big the guest's WebAssembly.Memory may grow: the guest limit plus room to adopt the globals.

export const PAGE = 65536
/** The emscripten build declares 16 MiB (256 pages) as its minimum memory. */
export const MIN_PAGES = 256
/** The emscripten build declares at most 2 GiB of memory. */
const MAX_PAGES = 32768

export function memoryPagesFor(memoryLimitBytes: number, globalBytes: number): number {
  // Adopting a global needs a copy of its bytes next to the string itself (the copy is freed).
  const pages = Math.ceil((memoryLimitBytes + 2 * globalBytes) / PAGE)
  return Math.min(MAX_PAGES, Math.max(MIN_PAGES, pages))
}
