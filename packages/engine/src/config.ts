// The one schema for engine settings: every key validated here, with messages that name the bad
// field, so a mistake fails at createRlm() and never halfway through a run.

import { totalmem } from 'node:os'
import { formatIssues, issueDetails, RlmError } from '@rlm/errors'
import type { SandboxFactory } from '@rlm/sandbox'
import { z } from 'zod'
import type { EventListener } from './events.ts'
import { GUEST_ALIAS_NAMES } from './guest-aliases.ts'
import type { RlmLogger } from './logger.ts'
import type { LanguageModel } from './model-spec.ts'
import { seedSchema } from './run-determinism.ts'
import { positiveInt, settingSchemas } from './setting-schemas.ts'

const RESERVED_GUEST_NAMES = new Set([
  'context',
  'search',
  'chunks',
  'lines',
  'documents',
  'describe',
  'llm_query',
  'llm_query_batched',
  'rlm_query',
  'rlm_query_batched',
  'print',
  'console',
  'SHOW_VARS',
  'FINAL',
  'FINAL_VAR',
  'is_error',
  'answer',
  ...GUEST_ALIAS_NAMES,
])

const languageModel = z.custom<LanguageModel>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { generate?: unknown }).generate === 'function' &&
    typeof (v as { modelId?: unknown }).modelId === 'string',
  { message: 'expected a model id string such as "openai:gpt-4o-mini" or a spec LanguageModel object' },
)

const modelRef = z.union(
  [z.string().min(1, 'expected a non-empty model id such as "openai:gpt-4o-mini"'), languageModel],
  {
    error: 'expected a model id string such as "openai:gpt-4o-mini" or a spec LanguageModel object',
  },
)

const zodSchema = z.custom<z.ZodType>(
  (v) =>
    typeof v === 'object' && v !== null && typeof (v as { safeParse?: unknown }).safeParse === 'function',
  { message: 'expected a zod schema describing the arguments' },
)

const tool = z.object({
  description: z.string().min(1, 'describe what the tool does; the model reads it in the system prompt'),
  parameters: zodSchema.optional(),
  execute: z.custom<(args: unknown) => unknown>((v) => typeof v === 'function', {
    message: 'expected a function',
  }),
  /**
   * True when running the tool again with the same arguments is harmless and gives the same
   * result (a lookup, a pure computation): a replay runs it again. Otherwise (the default) a
   * replay answers it from the recorded tool_end event and never runs it twice.
   */
  replaySafe: z.boolean().optional(),
})

const LOG_METHODS = ['error', 'warn', 'info', 'debug', 'trace'] as const

const budget = z
  .object({
    /** Default 10,000: a runaway batch stops there instead of at the provider's bill. */
    maxSubCalls: positiveInt('sub-calls').default(10_000),
    maxTokens: settingSchemas.maxTokens.optional(),
    maxCostUsd: settingSchemas.maxCostUsd.optional(),
    maxWallTimeMs: settingSchemas.maxWallTimeMs.optional(),
    maxErrors: positiveInt('consecutive code errors').default(5),
  })
  .strict()

/** Half the machine's memory, at most 4 GiB: the sandboxes of one run share it. */
function defaultRunMemory(): number {
  return Math.min(4 * 2 ** 30, Math.floor(totalmem() / 2))
}

/** Host-side result budgets: no single guest line may make the host allocate without bound. */
const limits = z
  .object({
    /** Most hits one search() returns (its `limit` option is capped to this). */
    maxSearchHits: positiveInt('hits').default(10_000),
    /** Most matches of one context.match / matchAll / split on a host-backed context. */
    maxMatches: positiveInt('matches').default(100_000),
    /** Most ranges one chunks() call returns. */
    maxChunks: positiveInt('chunks').default(100_000),
    /** Characters one host function may hand back to the guest. */
    maxHostResultChars: positiveInt('characters').default(64 * 2 ** 20),
    /** Guest heap shared by every sandbox of one run. */
    maxRunMemoryBytes: positiveInt('bytes')
      .min(16 * 2 ** 20, 'the sandboxes of a run need at least 16 MiB')
      .optional(),
    /** Child RLMs started over the whole run. */
    maxChildRuns: positiveInt('child runs').default(1_000),
    /** Characters of the final answer; longer answers are cut with a marker. */
    maxAnswerChars: positiveInt('characters').default(1_000_000),
  })
  .strict()
  .transform((l) => ({ ...l, maxRunMemoryBytes: l.maxRunMemoryBytes ?? defaultRunMemory() }))

const cache = z.union([
  z.boolean(),
  z
    .object({
      dir: z.string().min(1).optional(),
      maxEntries: positiveInt('entries').optional(),
      /** Cache the root model's turns too (default true; calls at temperature > 0 are never cached). */
      root: z.boolean().optional(),
    })
    .strict(),
])

export const rlmConfigSchema = z
  .object({
    model: modelRef,
    subModel: modelRef.optional(),
    maxDepth: settingSchemas.maxDepth,
    maxIterations: settingSchemas.maxIterations,
    concurrency: settingSchemas.concurrency,
    executionTimeoutMs: positiveInt('milliseconds').default(120_000),
    cache: cache.default(false),
    /** What the run logs (default 'warn'; with a `logger`, whatever that logger's own level shows). */
    logLevel: settingSchemas.logLevel.optional(),
    /** A pino logger, or anything with its error/warn/info/debug/trace methods (default: stderr lines). */
    logger: z
      .custom<RlmLogger>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          LOG_METHODS.every((m) => typeof (v as Record<string, unknown>)[m] === 'function'),
        { message: 'expected a logger with error, warn, info, debug and trace methods (a pino logger fits)' },
      )
      .optional(),
    budget: budget.prefault({}),
    limits: limits.prefault({}),
    tools: z.record(z.string(), tool).default({}),
    onEvent: z
      .custom<EventListener>((v) => typeof v === 'function', { message: 'expected a function' })
      .optional(),
    /** JSONL trace file of every run; false (or leaving it out) writes none. */
    trace: z
      .union([z.string().min(1, 'expected a file path'), z.literal(false)], {
        error: 'expected a file path, or false for no trace',
      })
      .optional(),
    traceRetentionDays: settingSchemas.traceRetentionDays,
    outputLimit: positiveInt('characters').default(20_000),
    memoryLimitBytes: positiveInt('bytes')
      .min(16 * 2 ** 20, 'the guest needs at least 16 MiB')
      .default(512 * 2 ** 20),
    /** Contexts up to this many characters are a plain guest string; larger ones are host-backed. */
    contextInlineLimit: z.int().min(0).default(8_000_000),
    atMaxDepth: z.enum(['llm_query', 'error']).default('llm_query'),
    /**
     * Spare sandboxes kept warm for child RLMs (started when a run first starts a child).
     * Default: min(concurrency, 8) when maxDepth > 1, else 0. 0 leaves @rlm/sandbox's pool alone.
     */
    prewarmSandboxes: z.int('expected a whole number of sandboxes').min(0).max(64).optional(),
    /**
     * Creates each node's REPL sandbox (default: createSandbox of @rlm/sandbox, QuickJS in a
     * worker). Another implementation gets the same options: globals, host functions, prelude, limits.
     */
    sandbox: z
      .custom<SandboxFactory>((v) => typeof v === 'function', {
        message: 'expected a function (options) => Promise<Sandbox>, such as createSandbox of @rlm/sandbox',
      })
      .optional(),
    compaction: z
      .union([
        z.literal(false),
        z
          .object({
            threshold: z
              .number()
              .gt(0)
              .lt(1, 'expected a fraction of the context window, e.g. 0.85')
              .default(0.85),
            keepIterations: z.int().min(0).default(2),
          })
          .strict(),
      ])
      .default({ threshold: 0.85, keepIterations: 2 }),
    /** The root model's context window in tokens, when the model does not report one. */
    contextWindow: positiveInt('tokens').optional(),
    /** The sub-model's context window in tokens (default: the model's own, else the catalog's). */
    subContextWindow: positiveInt('tokens').optional(),
    temperature: z.number().min(0).max(2).optional(),
    maxOutputTokens: positiveInt('tokens').optional(),
    subMaxOutputTokens: positiveInt('tokens').optional(),
    /** Extra instructions appended to the system prompt. */
    instructions: z.string().optional(),
    /**
     * Default seed of every run (a run's own `seed` option wins): the guests' Math.random is seeded
     * and their clock deterministic, so replaying a run reproduces its REPL output.
     */
    seed: seedSchema.optional(),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    for (const name of Object.keys(cfg.tools)) {
      if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tools', name],
          message: 'a tool name must be a JavaScript identifier',
        })
      } else if (RESERVED_GUEST_NAMES.has(name) || name.startsWith('__rlm')) {
        ctx.addIssue({
          code: 'custom',
          path: ['tools', name],
          message: 'this name is taken by the built-in guest API; rename the tool',
        })
      }
    }
  })

export type RlmConfigInput = z.input<typeof rlmConfigSchema>
export type RlmConfig = z.output<typeof rlmConfigSchema>
export type ToolDefinition = z.output<typeof tool>

/** Validates engine settings; throws RlmError E_CONFIG naming every bad field. */
export function parseConfig(input: unknown): RlmConfig {
  const parsed = rlmConfigSchema.safeParse(input)
  if (parsed.success) return parsed.data
  const problems = formatIssues(parsed.error.issues, { root: 'config', prefix: 'config' })
  throw new RlmError('E_CONFIG', `Invalid rlm config. ${problems}.`, {
    details: { issues: issueDetails(parsed.error.issues) },
  })
}
