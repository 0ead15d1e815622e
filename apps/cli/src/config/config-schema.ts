// The one schema for the CLI's settings, whichever layer they come from (defaults, the user's
// config file, rlm.config.json, RLM_* variables, flags). Env and flag values arrive as strings,
// so numbers and booleans are coerced here, strictly: "abc" is an error, never NaN. The engine's
// settings keep the engine's own schemas (bounds, defaults, messages): @rlm/engine/setting-schemas
// is zod only, so reading the config does not load the engine.

import { settingSchemas as engine } from '@rlm/engine/setting-schemas'
import { z } from 'zod'
import { parseDuration } from '../duration.ts'
import { userCacheDir } from './user-cache-dir.ts'

const fromString = (v: unknown): unknown => {
  if (typeof v !== 'string') return v
  const t = v.trim()
  return t === '' || Number.isNaN(Number(t)) ? v : Number(t)
}

/** An engine number setting that may arrive as a string. */
const numeric = <T extends z.ZodType>(schema: T) => z.preprocess(fromString, schema)

const flag = z.preprocess((v) => {
  if (typeof v !== 'string') return v
  const t = v.trim().toLowerCase()
  if (['1', 'true', 'yes', 'on'].includes(t)) return true
  if (['0', 'false', 'no', 'off', ''].includes(t)) return false
  return v
}, z.boolean('expected true or false'))

/** Milliseconds, written as "90s", "5m", "1500ms" or a bare number of seconds. */
const duration = <T extends z.ZodType<unknown, number>>(ms: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' || typeof v === 'number' ? (parseDuration(v) ?? v) : v),
    z.number('expected a duration such as 90s, 5m or 1500ms').pipe(ms),
  )

export const cliConfigSchema = z
  .object({
    /** Root model id, e.g. "openai:gpt-4o-mini", "ollama:qwen2.5", "openai-compatible:m@http://host/v1". */
    model: z.string().min(1, 'expected a model id such as openai:gpt-4o-mini').optional(),
    /** Sub-call model id (default: the root model). */
    subModel: z.string().min(1, 'expected a model id such as openai:gpt-4o-mini').optional(),
    /** Server for openai-compatible and ollama ids written without "@<url>". */
    baseUrl: z.url('expected an http(s) URL such as http://localhost:8000/v1').optional(),
    /** Key for the server at baseUrl (OpenAI/Groq/Anthropic read their own variables). */
    apiKey: z.string().min(1).optional(),
    maxDepth: numeric(engine.maxDepth),
    maxIterations: numeric(engine.maxIterations),
    concurrency: numeric(engine.concurrency),
    /** The engine's budget.maxTokens. */
    budgetTokens: numeric(engine.maxTokens).optional(),
    /** The engine's budget.maxCostUsd. */
    budgetUsd: numeric(engine.maxCostUsd).optional(),
    /** Wall-time limit of a run (the engine's budget.maxWallTimeMs), in milliseconds after parsing ("90s", "5m"). */
    timeout: duration(engine.maxWallTimeMs).optional(),
    /** Longest wait for one model request, in milliseconds after parsing (the provider's timeoutMs). */
    requestTimeout: duration(z.int().positive()).optional(),
    cache: flag.default(false),
    /** Where the response cache lives (default $XDG_CACHE_HOME/rlm, else ~/.cache/rlm). */
    cacheDir: z
      .string()
      .min(1)
      .default(() => userCacheDir()),
    /** Where default trace files go. */
    traceDir: z.string().min(1).default('.rlm'),
    /** Traces rlm named in the trace directory are deleted after this many days (0 keeps all). */
    traceRetentionDays: numeric(engine.traceRetentionDays),
    /** Log level (silent, error, warn, info, debug, trace); human lines on stderr unless logFile. */
    logLevel: engine.logLevel.optional(),
    /** JSON log lines go to this file (rotated at 10 MiB, 5 kept); level info unless logLevel. */
    logFile: z.string().min(1, 'expected a file path').optional(),
  })
  .strict()

export type CliConfigInput = z.input<typeof cliConfigSchema>
export type CliConfig = z.output<typeof cliConfigSchema>
export type CliConfigKey = keyof CliConfig

/** Keys whose values are secrets: masked whenever the config is printed. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['apiKey'])

/** RLM_* environment variable for each key. */
export const ENV_NAMES: Record<CliConfigKey, string> = {
  model: 'RLM_MODEL',
  subModel: 'RLM_SUB_MODEL',
  baseUrl: 'RLM_BASE_URL',
  apiKey: 'RLM_API_KEY',
  maxDepth: 'RLM_MAX_DEPTH',
  maxIterations: 'RLM_MAX_ITERATIONS',
  concurrency: 'RLM_CONCURRENCY',
  budgetTokens: 'RLM_BUDGET_TOKENS',
  budgetUsd: 'RLM_BUDGET_USD',
  timeout: 'RLM_TIMEOUT',
  requestTimeout: 'RLM_REQUEST_TIMEOUT',
  cache: 'RLM_CACHE',
  cacheDir: 'RLM_CACHE_DIR',
  traceDir: 'RLM_TRACE_DIR',
  traceRetentionDays: 'RLM_TRACE_RETENTION_DAYS',
  logLevel: 'RLM_LOG_LEVEL',
  logFile: 'RLM_LOG_FILE',
}

/** Command-line flag for each key (for error messages that name where a bad value came from). */
export const FLAG_NAMES: Partial<Record<CliConfigKey, string>> = {
  model: '--model',
  subModel: '--sub-model',
  baseUrl: '--base-url',
  maxDepth: '--max-depth',
  maxIterations: '--max-iterations',
  concurrency: '--concurrency',
  budgetTokens: '--budget-tokens',
  budgetUsd: '--budget-usd',
  timeout: '--timeout',
  requestTimeout: '--request-timeout',
  cache: '--cache',
  cacheDir: '--cache-dir',
  logLevel: '--log-level',
  logFile: '--log-file',
}
