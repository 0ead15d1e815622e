// Guest-side JavaScript that makes a context reproducible (options `seed` and `clockStartMs`): a
// seeded Math.random and a Date whose clock starts at a given instant and advances 1 ms per read.
// Evaluated right after the bootstrap, before any global, function or prelude, so nothing of the
// guest ever holds the engine's own random source or clock: the originals live only in this closure.

/** What the worker passes in: each part is off when its value is undefined. */
export interface GuestDeterminism {
  /** Seed of Math.random: a whole number 0 to 2^53 - 1. */
  seed?: number | undefined
  /** The first reading of the guest clock, ms since the epoch. */
  clockStartMs?: number | undefined
}

/**
 * Evaluates to a function `(seedLow, seedHigh, clockStart) => undefined` (undefined arguments leave
 * that builtin alone). Math.random is sfc32 seeded through splitmix32 from both 32-bit halves of
 * the seed, 53 bits per number as the engine's own. Each clock read (Date.now(), new Date(),
 * Date()) returns the clock and then advances it by 1 ms, so time still moves forward and two
 * reads never tie, yet the same program reads the same instants every time.
 */
export const guestDeterminismSource = `(function (seedLow, seedHigh, clockStart) {
  'use strict';
  const defineProp = Object.defineProperty;
  const imul = Math.imul;
  if (seedLow !== undefined) {
    let z = (seedLow ^ imul(seedHigh, 0x9e3779b9)) >>> 0;
    const split = function () {
      z = (z + 0x9e3779b9) >>> 0;
      let t = z ^ (z >>> 16);
      t = imul(t, 0x21f0aaad);
      t = t ^ (t >>> 15);
      t = imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) >>> 0;
    };
    let a = split() | 0, b = split() | 0, c = split() | 0, d = split() | 0;
    // sfc32 on int32 arithmetic (QuickJS keeps it in small ints; >>> 0 would make doubles), its
    // two steps per number written out: a call costs more than a step.
    for (let i = 0; i < 12; i++) {
      const t = (a + b | 0) + d | 0; d = d + 1 | 0; a = b ^ b >>> 9; b = c + (c << 3) | 0; c = c << 21 | c >>> 11; c = c + t | 0;
    }
    const random = { random() {
      let t = (a + b | 0) + d | 0; d = d + 1 | 0; a = b ^ b >>> 9; b = c + (c << 3) | 0; c = c << 21 | c >>> 11; c = c + t | 0;
      const high = t >>> 5;
      t = (a + b | 0) + d | 0; d = d + 1 | 0; a = b ^ b >>> 9; b = c + (c << 3) | 0; c = c << 21 | c >>> 11; c = c + t | 0;
      return (high * 67108864 + (t >>> 6)) / 9007199254740992;
    } }.random;
    defineProp(Math, 'random', { value: random, writable: true, configurable: true, enumerable: false });
  }
  if (clockStart !== undefined) {
    const RealDate = Date;
    const construct = Reflect.construct;
    const dateToString = Function.prototype.call.bind(RealDate.prototype.toString);
    let clock = clockStart;
    const read = function () { const t = clock; clock += 1; return t; };
    // Called as a function Date() is the current time as a string; constructed with no arguments it
    // is now; with arguments it is what the real Date makes of them (subclasses keep their prototype).
    const DateC = function Date(a0, a1, a2, a3, a4, a5, a6) {
      if (new.target === undefined) return dateToString(new RealDate(read()));
      return construct(RealDate, arguments.length === 0 ? [read()] : arguments, new.target);
    };
    const proto = RealDate.prototype;
    defineProp(DateC, 'prototype', { value: proto, writable: false, configurable: false, enumerable: false });
    defineProp(DateC, 'now', { value: { now() { return read(); } }.now, writable: true, configurable: true, enumerable: false });
    defineProp(DateC, 'parse', { value: RealDate.parse, writable: true, configurable: true, enumerable: false });
    defineProp(DateC, 'UTC', { value: RealDate.UTC, writable: true, configurable: true, enumerable: false });
    defineProp(proto, 'constructor', { value: DateC, writable: true, configurable: true, enumerable: false });
    defineProp(globalThis, 'Date', { value: DateC, writable: true, configurable: true, enumerable: false });
  }
})`
