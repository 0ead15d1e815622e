// Reproducible runs: a seed for the guests' Math.random and a start for their clock, chosen once
// per run, recorded in run_start, and handed to every node's sandbox (children get derived seeds).

import { createHash } from 'node:crypto'
import { z } from 'zod'

/** A run's seed: any whole number a double holds exactly, 0 or more. */
export const seedSchema = z
  .int('expected a whole number')
  .min(0, 'expected a seed of 0 or more')
  .max(Number.MAX_SAFE_INTEGER, 'expected a seed up to 2^53 - 1')

/** The guest clock's first reading, ms since the epoch (inside Date's range). */
export const clockStartSchema = z
  .int('expected a whole number of ms since the epoch')
  .min(-8.64e15 + 8.64e7)
  .max(8.64e15 - 8.64e7)

/** What a run's sandboxes are made reproducible with; both undefined for an ordinary run. */
export interface RunDeterminism {
  seed?: number | undefined
  clockStartMs?: number | undefined
}

/**
 * A seeded run's clock starts where the caller says (a replay restores the recorded start) or at
 * the real time now; a run without a seed or clock start keeps the real clock and random source.
 */
export function resolveDeterminism(
  seed: number | undefined,
  clockStartMs: number | undefined,
): RunDeterminism {
  if (seed === undefined && clockStartMs === undefined) return {}
  return { seed, clockStartMs: clockStartMs ?? Date.now() }
}

/**
 * The seed of the node with this id ("0", "0.2", "0.2.1"): the run's seed for the root, and for
 * child n of a node with seed s the first 48 bits of sha256("s.n"). Children therefore get
 * seeds of their own that depend only on the run's seed and their place in the tree.
 */
export function nodeSeed(runSeed: number | undefined, nodeId: string): number | undefined {
  if (runSeed === undefined) return undefined
  let seed = runSeed
  for (const index of nodeId.split('.').slice(1)) {
    seed = createHash('sha256').update(`${seed}.${index}`).digest().readUIntBE(0, 6)
  }
  return seed
}
