// The options of createServer, validated once with zod: a mistake fails at start-up with E_CONFIG
// naming the option, never on the first request.

import { formatIssues, RlmError } from '@rlm/errors'
import { z } from 'zod'
import { RUN_MANAGER_DEFAULTS, type RunObserver } from './run-manager.ts'
import { type RunCaps, runCapsSchema } from './run-settings.ts'
import type { ModelRef } from './served-models.ts'
import type { EngineDefaults } from './server-state.ts'

export interface ServerOptions {
  /**
   * Root models clients may use, by id: the first is `rlm`, each is also `rlm:<id>`. A value is a
   * model id string for @rlm/providers or a spec LanguageModel.
   */
  models: Record<string, ModelRef>
  /** Model of every run's sub-calls (default: the run's root model). */
  subModel?: ModelRef
  /** Engine settings of every run (cache, timeouts, limits, tools, ...); caps and clients' choices apply over them. */
  engine?: EngineDefaults
  /** The most a client may ask for, and what a run gets when it asks for nothing. */
  caps?: RunCaps
  /** Directories whose files clients may name as `context_paths` (none: no files are served). */
  contextRoots?: string[]
  /** Bearer token every request must carry; required to listen on a non-loopback host. */
  token?: string
  /** Runs in progress at once (default 4). */
  maxConcurrentRuns?: number
  /** Runs waiting beyond those; more are refused with 429 and Retry-After (default 64). */
  maxQueue?: number
  /** Finished runs kept for GET /v1/runs/:id (default 200). */
  keepFinishedRuns?: number
  /** Without a traceDir: events of finished runs kept in memory over all runs (default 200,000; oldest forgotten first). */
  maxEventsInMemory?: number
  /** Largest request body in bytes (default 32 MiB); larger ones get 413. */
  maxBodyBytes?: number
  /** Directory for each run's JSONL trace (created 0700, files 0600); false (default): no trace files. */
  traceDir?: string | false
  /** A client with an Idempotency-Key that disconnects has this long to come back before its run is cancelled (default 10 s). */
  reattachGraceMs?: number
  /** Where internal errors are logged (default: stderr). */
  log?: (line: string) => void
  /** Called as runs start, emit events and end (after the server's own metrics and tracing). */
  observers?: RunObserver[]
}

const modelRef = z.custom<ModelRef>(
  (v) =>
    (typeof v === 'string' && v.length > 0) ||
    (typeof v === 'object' && v !== null && typeof (v as { generate?: unknown }).generate === 'function'),
  { message: 'expected a model id such as "openai:gpt-4o-mini" or a spec LanguageModel' },
)

const count = (min: number) => z.int('expected a whole number').min(min, `expected at least ${min}`)

/** Shorter tokens are accepted with a warning: they can be guessed. */
export const MIN_TOKEN_CHARS = 16

const schema = z
  .object({
    models: z
      .record(z.string().regex(/^\S+$/, 'a model id has no spaces'), modelRef)
      .refine((m) => Object.keys(m).length > 0, 'configure at least one root model'),
    subModel: modelRef.optional(),
    engine: z.record(z.string(), z.unknown()).optional(),
    caps: runCapsSchema.optional(),
    contextRoots: z.array(z.string().min(1)).default([]),
    token: z
      .string()
      .min(1, 'expected a non-empty token')
      .regex(/^[\x21-\x7e]+$/, 'a token is printable ASCII without spaces')
      .optional(),
    maxConcurrentRuns: count(1).default(RUN_MANAGER_DEFAULTS.maxConcurrentRuns),
    maxQueue: count(0).default(RUN_MANAGER_DEFAULTS.maxQueue),
    keepFinishedRuns: count(1).default(RUN_MANAGER_DEFAULTS.keepFinishedRuns),
    maxEventsInMemory: count(0).default(RUN_MANAGER_DEFAULTS.maxEventsInMemory),
    maxBodyBytes: count(1024).default(32 * 2 ** 20),
    traceDir: z.union([z.string().min(1), z.literal(false)]).default(false),
    reattachGraceMs: count(0).default(10_000),
    log: z.custom<(line: string) => void>((v) => typeof v === 'function', 'expected a function').optional(),
    observers: z
      .array(z.custom<RunObserver>((v) => typeof v === 'object' && v !== null, 'expected an observer object'))
      .default([]),
  })
  .strict()

export type ParsedServerOptions = z.output<typeof schema> & { engine?: EngineDefaults }

export function parseServerOptions(options: ServerOptions): ParsedServerOptions {
  const parsed = schema.safeParse(options)
  if (parsed.success) return parsed.data as ParsedServerOptions
  throw new RlmError('E_CONFIG', `Invalid server options. ${formatIssues(parsed.error.issues)}.`)
}
