// The runner's settings, validated with zod: what to generate (suites, sizes, tasks, seed),
// which models (or offline), the baseline, the results file, and engine settings passed through.
import type { RlmConfigInput } from '@rlm/engine'
import { formatIssues, issueDetails, RlmError } from '@rlm/errors'
import type { LanguageModel } from '@rlm/providers'
import { z } from 'zod'
import type { RlmTaskRunner } from './rlm-task-runner.ts'
import { MAX_SIZE, MIN_SIZE } from './size.ts'
import { SUITE_NAMES } from './task.ts'

/** Engine settings passed through to createRlm (concurrency, budget, cache, maxDepth, ...). */
export type EvalEngineSettings = Omit<RlmConfigInput, 'model' | 'subModel' | 'onEvent'>

const modelRef = z.union([
  z.string().min(1, "expected a model id such as 'openai:gpt-4o-mini'"),
  z.custom<LanguageModel>(
    (v) =>
      typeof v === 'object' && v !== null && typeof (v as { generate?: unknown }).generate === 'function',
    { message: 'expected a model id string or a spec LanguageModel' },
  ),
])

export const evalOptionsSchema = z
  .object({
    suites: z
      .array(z.enum(SUITE_NAMES))
      .min(1, 'choose at least one suite')
      .default([...SUITE_NAMES]),
    /** Context sizes in estimated tokens (parseSizes turns '8k,1m' into these). */
    sizes: z
      .array(
        z
          .int()
          .min(MIN_SIZE, `sizes start at ${MIN_SIZE} tokens`)
          .max(MAX_SIZE, `sizes end at ${MAX_SIZE} tokens`),
      )
      .min(1, 'give at least one size, e.g. [8000]'),
    /** Tasks per suite and size. */
    tasks: z.int().min(1).max(10_000).default(3),
    seed: z.int().min(0).default(1),
    /** Use the scripted strategy model and the reader sub-model: a mechanics check, no network. */
    offline: z.boolean().default(false),
    model: modelRef.optional(),
    subModel: modelRef.optional(),
    /** 'direct' also runs one plain call per task with the context cut to the window. */
    baseline: z.enum(['direct', 'none']).default('none'),
    /** Window (tokens) the direct baseline truncates to; default: engine.contextWindow, the model's, else 128,000. */
    contextWindow: z.int().positive().optional(),
    directMaxOutputTokens: z.int().positive().default(1024),
    /** JSONL file of results; tasks already in it (without error) are not run again. */
    resultsFile: z.string().min(1).optional(),
    engine: z.custom<EvalEngineSettings>((v) => typeof v === 'object' && v !== null).default({}),
    signal: z
      .custom<AbortSignal>((v) => v instanceof AbortSignal, { message: 'expected an AbortSignal' })
      .optional(),
    /** Resolves model id strings for the direct baseline (default: @rlm/providers resolveModel). */
    resolveModel: z
      .custom<(id: string) => Promise<LanguageModel>>((v) => typeof v === 'function', {
        message: 'expected a function',
      })
      .optional(),
    /**
     * Runs each RLM task elsewhere instead of in this process (e.g. as a job on @rlm/queue's
     * workers); the direct baseline still runs here.
     */
    runRlm: z
      .custom<RlmTaskRunner>((v) => typeof v === 'function', { message: 'expected a function' })
      .optional(),
    /** Tasks in flight at once (default 1); the report keeps the planned order whatever finishes first. */
    parallel: z.int().min(1).max(10_000).default(1),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (!o.offline && o.model === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['model'],
        message: "a model is required (e.g. 'openai:gpt-4o-mini'), or set offline: true",
      })
    }
    if (o.offline && (o.model !== undefined || o.subModel !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['model'],
        message: 'offline runs use the scripted strategy model; drop model/subModel or offline',
      })
    }
    for (const key of ['model', 'subModel', 'onEvent'] as const) {
      if (key in o.engine)
        ctx.addIssue({
          code: 'custom',
          path: ['engine', key],
          message: `set ${key} on the eval options, not in engine`,
        })
    }
  })

export type EvalOptionsInput = z.input<typeof evalOptionsSchema>
export type EvalOptions = z.output<typeof evalOptionsSchema>

export function parseEvalOptions(input: unknown): EvalOptions {
  const parsed = evalOptionsSchema.safeParse(input)
  if (parsed.success) return parsed.data
  throw new RlmError('E_CONFIG', `Invalid eval options. ${formatIssues(parsed.error.issues)}.`, {
    details: { issues: issueDetails(parsed.error.issues) },
  })
}
