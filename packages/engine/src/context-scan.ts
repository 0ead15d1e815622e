// Literal scans of a context for the host-backed guest `context` (indexOf, lastIndexOf, split):
// 1 MiB windows, and between windows a turn of the event loop and a look at the cell's signal, so
// a scan of a 1 GB context never holds the host for more than one window.

import { type ContextSource, readText } from './context-source.ts'

const WINDOW = 1 << 20

async function pause(signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve))
  signal.throwIfAborted()
}

/** The first window (in the given order) where `find` finds the needle: its context offset, or -1. */
async function firstInWindows(
  ctx: ContextSource,
  windows: Iterable<[number, number]>,
  find: (text: string) => number,
  signal: AbortSignal,
): Promise<number> {
  let first = true
  for (const [start, end] of windows) {
    if (!first) await pause(signal)
    first = false
    const i = find(readText(ctx, start, end))
    if (i >= 0) return start + i
  }
  return -1
}

export function contextIndexOf(
  ctx: ContextSource,
  needle: string,
  from: number,
  signal: AbortSignal,
): Promise<number> {
  const len = ctx.length
  if (needle === '') return Promise.resolve(Math.min(from, len))
  function* windows(): Generator<[number, number]> {
    for (let pos = from; pos < len; pos += WINDOW)
      yield [pos, Math.min(len, pos + WINDOW + needle.length - 1)]
  }
  return firstInWindows(ctx, windows(), (text) => text.indexOf(needle), signal)
}

export function contextLastIndexOf(
  ctx: ContextSource,
  needle: string,
  from: number,
  signal: AbortSignal,
): Promise<number> {
  const last = Math.min(from, ctx.length - needle.length)
  function* windows(): Generator<[number, number]> {
    for (let end = last + needle.length; end > 0; end -= WINDOW)
      yield [Math.max(0, end - WINDOW - needle.length + 1), end]
  }
  if (last < 0) return Promise.resolve(-1)
  return firstInWindows(ctx, windows(), (text) => text.lastIndexOf(needle), signal)
}

/**
 * Where String.prototype.split would cut the context on a non-empty `needle`: the start of each
 * occurrence, left to right, not overlapping. Stops after `max` of them.
 */
export async function splitPoints(
  ctx: ContextSource,
  needle: string,
  max: number,
  signal: AbortSignal,
): Promise<number[]> {
  const len = ctx.length
  const n = needle.length
  const out: number[] = []
  for (let at = 0; at <= len - n; ) {
    if (at > 0) await pause(signal)
    // Every occurrence starting before at + WINDOW lies wholly inside this window.
    const window = readText(ctx, at, Math.min(len, at + WINDOW + n - 1))
    let next = at + WINDOW
    for (let i = window.indexOf(needle); i !== -1; i = window.indexOf(needle, i + n)) {
      out.push(at + i)
      if (out.length >= max) return out
      next = Math.max(next, at + i + n)
    }
    at = next
  }
  return out
}
