// createSandbox options: the zod schema at the boundary, defaults, and the public types.
import { z } from 'zod'
import { findNonJsonLike } from './json-like.ts'
import { isSharedMemoryBudget, type MemoryBudget, type SharedMemoryBudget } from './memory-budget.ts'

/** A host function the guest can call. Arguments and result are JSON-like data. */
export type HostFunction = (...args: unknown[]) => unknown

/** `{ fn, sync: true }`: the guest call returns the value directly (the worker blocks meanwhile). */
export interface SyncHostFunction {
  fn: HostFunction
  sync: true
}

export interface SandboxOptions {
  /** Wall time per run, including time awaiting host functions. Default 5000. */
  timeoutMs?: number
  /** Hard cap on the guest heap (globals come on top). Default 128 MiB, max 1.5 GiB. */
  memoryLimitBytes?: number
  /** JSON-like values installed as guest globals; strings may be hundreds of MB. */
  globals?: Record<string, unknown>
  /** Host functions installed as guest globals: async (guest gets a Promise) or `{ fn, sync: true }`. */
  functions?: Record<string, HostFunction | SyncHostFunction>
  /** Guest code evaluated after globals and functions, and again after every reset. */
  prelude?: string
  /** Receives printed output while a run is in progress (about every 50 ms and at the end). */
  onOutput?: (chunk: string) => void
  /** Characters of printed output kept per run; the rest is replaced by a marker. Default 1,000,000. */
  outputLimit?: number
  /** Characters of JSON allowed for a run's completion value. Default 16 MiB. */
  valueLimit?: number
  /** Async host calls in flight at once per run. Default 10,000. */
  maxPendingCalls?: number
  /** Characters of arguments of async host calls in flight. Default 64 Mi. */
  maxCallBytesInFlight?: number
  /** Guest stack size in bytes; deep recursion becomes a guest RangeError. Default 512 KiB. */
  stackSizeBytes?: number
  /** A limit shared with other sandboxes (createMemoryBudget); this sandbox's heap is charged to it. */
  memoryBudget?: MemoryBudget
  /**
   * Seeds the guest's Math.random (a whole number 0 to 2^53 - 1): the same seed gives the same
   * numbers in the same order. Default: QuickJS's own unseeded generator.
   */
  seed?: number
  /**
   * Makes the guest clock deterministic: the first Date.now(), new Date() or Date() reads this
   * instant (ms since the epoch) and every read advances it by 1 ms. Default: the real clock.
   */
  clockStartMs?: number
}

const identifier = /^[A-Za-z_$][\w$]*$/
const reservedNames = new Set(['print', 'console', 'globalThis', '__proto__'])

const hostFunction = z.custom<HostFunction>((v) => typeof v === 'function', {
  message: 'expected a function',
})
const functionEntry = z.union([hostFunction, z.object({ fn: hostFunction, sync: z.literal(true) })])

const nameKey = z
  .string()
  .regex(identifier, 'names must be JavaScript identifiers')
  .refine((n) => !reservedNames.has(n), 'print, console and globalThis are provided by the sandbox')

const jsonLike = z.unknown().superRefine((value, ctx) => {
  const problem = findNonJsonLike(value)
  if (problem) ctx.addIssue({ code: 'custom', message: `${problem}; globals must be JSON-like data` })
})

/** A seed for the guest's Math.random: any whole number a double holds exactly, 0 or more. */
export const seedSchema = z
  .int('expected a whole number')
  .min(0, 'expected a seed of 0 or more')
  .max(Number.MAX_SAFE_INTEGER, 'expected a seed up to 2^53 - 1')

export const memoryLimitSchema = z
  .number()
  .int()
  .min(4 * 2 ** 20)
  .max(1.5 * 2 ** 30)
  .default(128 * 2 ** 20)

export const sandboxOptionsSchema = z
  .object({
    timeoutMs: z
      .number()
      .int()
      .positive()
      .max(24 * 3600 * 1000)
      .default(5000),
    memoryLimitBytes: memoryLimitSchema,
    globals: z.record(nameKey, jsonLike).default({}),
    functions: z.record(nameKey, functionEntry).default({}),
    prelude: z.string().optional(),
    onOutput: z.custom<(chunk: string) => void>((v) => typeof v === 'function').optional(),
    outputLimit: z.number().int().min(100).default(1_000_000),
    valueLimit: z
      .number()
      .int()
      .min(100)
      .default(16 * 2 ** 20),
    // Each pending call holds a few objects on the worker's own V8 heap: bounded, so it never fills.
    maxPendingCalls: z.number().int().positive().max(100_000).default(10_000),
    maxCallBytesInFlight: z
      .number()
      .int()
      .positive()
      .default(64 * 2 ** 20),
    stackSizeBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .max(4 * 2 ** 20)
      .default(512 * 1024),
    memoryBudget: z
      .custom<SharedMemoryBudget>(isSharedMemoryBudget, {
        message: 'expected a budget from createMemoryBudget()',
      })
      .optional(),
    seed: seedSchema.optional(),
    // Date's own range, less a day a million reads can use up.
    clockStartMs: z
      .int('expected a whole number of ms since the epoch')
      .min(-8.64e15 + 8.64e7)
      .max(8.64e15 - 8.64e7)
      .optional(),
  })
  .superRefine((o, ctx) => {
    for (const name of Object.keys(o.functions)) {
      if (name in o.globals)
        ctx.addIssue({ code: 'custom', message: `"${name}" is both a global and a function` })
    }
  })

export type ResolvedOptions = z.output<typeof sandboxOptionsSchema>
