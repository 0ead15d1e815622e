// The one schema for the CLI's settings, whichever layer they come from (defaults, the user's
// config file, rlm.config.json, RLM_* variables, flags). Env and flag values arrive as strings,
// so numbers and booleans are coerced here, strictly: "abc" is an error, never NaN.

import type { LogLevel } from '@rlm/engine'
import { z } from 'zod'
import { parseDuration } from '../duration.ts'
import { userCacheDir } from './user-cache-dir.ts'

// The engine's levels, written out so reading the config does not load the engine; the check
// below fails to compile when the two lists differ.
const LOG_LEVELS = [
  'silent',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
] as const satisfies readonly LogLevel[]
const sameLevels: Exclude<LogLevel, (typeof LOG_LEVELS)[number]> extends never ? true : never = true
void sameLevels

const fromString = (v: unknown): unknown => {
  if (typeof v !== 'string') return v
  const t = v.trim()
  return t === '' || Number.isNaN(Number(t)) ? v : Number(t)
}

const wholeNumber = (what: string, min: number, max: number) =>
  z.preprocess(
    fromString,
    z
      .int(`expected a whole number of ${what}`)
      .min(min, `expected at least ${min} ${what}`)
      .max(max, `expected at most ${max} ${what}`),
  )

const flag = z.preprocess((v) => {
  if (typeof v !== 'string') return v
  const t = v.trim().toLowerCase()
  if (['1', 'true', 'yes', 'on'].includes(t)) return true
  if (['0', 'false', 'no', 'off', ''].includes(t)) return false
  return v
}, z.boolean('expected true or false'))

const duration = z.preprocess(
  (v) => (typeof v === 'string' || typeof v === 'number' ? (parseDuration(v) ?? v) : v),
  z.number('expected a duration such as 90s, 5m or 1500ms').int().positive(),
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
    maxDepth: wholeNumber('levels', 1, 50).default(2),
    maxIterations: wholeNumber('iterations', 1, 10_000).default(30),
    concurrency: wholeNumber('concurrent calls', 1, 10_000).default(16),
    budgetTokens: wholeNumber('tokens', 1, Number.MAX_SAFE_INTEGER).optional(),
    budgetUsd: z
      .preprocess(
        fromString,
        z.number('expected a cost in USD, e.g. 0.50').positive('expected a cost above 0'),
      )
      .optional(),
    /** Wall-time limit of a run, in milliseconds after parsing ("90s", "5m"). */
    timeout: duration.optional(),
    /** Longest wait for one model request, in milliseconds after parsing (the provider's timeoutMs). */
    requestTimeout: duration.optional(),
    cache: flag.default(false),
    /** Where the response cache lives (default $XDG_CACHE_HOME/rlm, else ~/.cache/rlm). */
    cacheDir: z
      .string()
      .min(1)
      .default(() => userCacheDir()),
    /** Where default trace files go. */
    traceDir: z.string().min(1).default('.rlm'),
    /** Traces rlm named in the trace directory are deleted after this many days (0 keeps all). */
    traceRetentionDays: z
      .preprocess(
        fromString,
        z.number('expected a number of days').min(0, 'expected 0 (keep all) or more days'),
      )
      .default(30),
    /** Log level (silent, error, warn, info, debug, trace); human lines on stderr unless logFile. */
    logLevel: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).optional(),
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
