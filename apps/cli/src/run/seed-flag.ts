// `--seed <n>` of `rlm run` and `rlm submit`: the seed of the REPL's Math.random and clock (the
// engine's `seed`), so a run can be reproduced; recorded in the trace's run_start.

import { usageError } from '../usage-error.ts'

export const SEED_HELP =
  "seed the REPL's Math.random and Date (0 to 2^53 - 1): a reproducible run, recorded in the trace"

/** The flag's value as a whole number, or undefined when it was not given. */
export function seedFlag(opts: Record<string, unknown>): number | undefined {
  if (opts.seed === undefined) return undefined
  const n = Number(opts.seed)
  if (!Number.isSafeInteger(n) || n < 0)
    throw usageError(`--seed: expected a whole number from 0 to 2^53 - 1 (got ${JSON.stringify(opts.seed)}).`)
  return n
}
