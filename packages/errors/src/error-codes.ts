// The one registry of rlm's error codes: what each means, the `rlm` command's exit status when a
// command ends with it, and whether repeating the call may succeed. `RlmError` accepts only the
// codes listed here, the CLI's exit codes and the root README's table are derived from (and tested
// against) it, so adding a code is adding one line below.

/** The `rlm` command's exit statuses. Scripts branch on these numbers, so they never change meaning. */
export const EXIT = {
  ok: 0,
  usage: 2,
  provider: 3,
  budget: 4,
  internal: 5,
  interrupted: 130,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

export interface ErrorCodeInfo {
  /** One line: what went wrong. */
  meaning: string
  /**
   * The `rlm` exit status of a command that ends with this code; `null` for codes that never end
   * a command (HTTP answers of `rlm serve`, tool errors of `rlm mcp`), which exit `internal` if one ever does.
   */
  exit: ExitCode | null
  /** True when repeating the same call may succeed: the default of `RlmError.isRetryable`. */
  retryable: boolean
}

type ExitName = Exclude<keyof typeof EXIT, 'ok'> | 'none'

function code(exit: ExitName, meaning: string, retry?: 'retryable'): ErrorCodeInfo {
  return { meaning, exit: exit === 'none' ? null : EXIT[exit], retryable: retry === 'retryable' }
}

export const ERROR_CODES = {
  // Exit 2: the caller's input (config, flags, files) is wrong; the message names what to change.
  E_USAGE: code('usage', 'a bad command line: unknown flag, missing argument, conflicting options'),
  E_CONFIG: code('usage', 'a bad config value, option or model id; the message names the field'),
  E_CONTEXT_NOT_FOUND: code('usage', 'a context path that does not exist'),
  E_CONTEXT_EMPTY: code('usage', 'a context with nothing to read in it'),
  E_CONTEXT_TOO_LARGE: code('usage', 'a context over the size limit'),
  E_CONTEXT_INPUT: code('usage', 'a context input rlm cannot load (special file, bad stdin, bad format)'),
  E_BAD_PATTERN: code('usage', 'a search pattern with lookaround, backreferences or bad syntax'),
  E_TRACE: code('usage', 'a missing or unreadable trace, one without events, or (replay) an invalid line'),
  E_EVAL_RESULTS: code('usage', 'an eval results file that cannot be read or written'),
  E_QUEUE_CONTEXT_TOO_LARGE: code('usage', 'a queued job whose inline or URL context is over its size cap'),
  E_QUEUE_URL_NOT_ALLOWED: code('usage', "a queued job's url context outside the worker's urlAllowlist"),
  E_QUEUE_NOT_FOUND: code('usage', 'no queued job with that id (never submitted, or removed by retention)'),
  // Exit 3: the model provider failed or refused, after rlm's own retries.
  E_PROVIDER_AUTH: code('provider', 'a missing or rejected API key; the message names the variable to set'),
  E_PROVIDER_RATE_LIMIT: code('provider', 'the provider is rate limiting requests (HTTP 429)', 'retryable'),
  E_PROVIDER_TIMEOUT: code('provider', 'the provider did not answer in time', 'retryable'),
  E_PROVIDER_UNAVAILABLE: code('provider', 'the provider could not be reached or failed (5xx)', 'retryable'),
  E_PROVIDER_BAD_RESPONSE: code('provider', 'the provider sent a response rlm cannot use'),
  E_PROVIDER_BAD_REQUEST: code('provider', 'the provider refused the request (4xx)'),
  E_CONTEXT_WINDOW: code('provider', "the prompt does not fit the model's context window"),
  // Exit 4: a budget ran out; the run ends `budget_exhausted` with a partial answer.
  E_BUDGET: code('budget', 'a token, cost, time, iteration or sub-call budget ran out'),
  // Exit 5: a limit rlm enforces, a sandbox cell's failure (reported to the model, which goes on),
  // or rlm itself failed.
  E_LIMIT: code('internal', 'a host function or rlm serve past one of its limits (`limits.*`, body size)'),
  E_DEPTH: code('internal', "rlm_query at max depth with atMaxDepth: 'error'"),
  E_SYNTAX: code('internal', 'guest code that does not parse'),
  E_RUNTIME: code('internal', 'guest code that threw'),
  E_TIMEOUT: code('internal', 'a sandbox cell past its time limit'),
  E_MEMORY: code('internal', 'a sandbox cell past its memory limit or the run-wide memory budget'),
  E_FORBIDDEN: code('internal', 'guest code that reached for something the sandbox does not allow'),
  E_OUTPUT_LIMIT: code('internal', "a sandbox cell's output past its limit"),
  E_ARGUMENT: code('internal', 'guest code called the REPL API with a shape it does not take'),
  E_TOOL_ARGS: code('internal', 'guest code called a tool with arguments its schema refuses'),
  E_UNSUPPORTED: code('internal', 'guest code asked the host-backed context for a feature it cannot serve'),
  E_CANCELLED: code('internal', 'a call or child whose cell (or parent) ended first'),
  E_DISPOSED: code('internal', 'a sandbox run after dispose()'),
  E_SANDBOX: code('internal', 'a sandbox factory that failed or gave no sandbox'),
  E_SANDBOX_INIT: code('internal', 'the sandbox could not start'),
  E_SANDBOX_INTERNAL: code('internal', 'the sandbox worker failed'),
  E_QUEUE_BAD_JOB: code('internal', 'a job read from Redis that does not match the job schema'),
  E_QUEUE_PROMPT_VERSION: code('internal', "a job's journal written under another engine PROMPT_VERSION"),
  E_QUEUE_REDIS: code('internal', 'Redis refused or dropped the connection', 'retryable'),
  E_QUEUE_CLOSED: code('internal', 'a run queue or worker used after close()'),
  E_QUEUE_STALLED: code(
    'internal',
    'a job handed back more often than its attempts allow (workers kept dying)',
  ),
  E_REPLAY_EXHAUSTED: code('internal', 'replay asked for a model reply the recording does not have'),
  E_INTERNAL: code('internal', 'rlm itself failed (a bug): anything thrown that is not an RlmError'),
  // Exit 130: the caller stopped the run.
  E_ABORTED: code('interrupted', "the caller's AbortSignal fired"),
  E_PROVIDER_ABORTED: code('interrupted', 'a provider call aborted by the caller'),
  E_INTERRUPTED: code('interrupted', 'Ctrl-C or SIGTERM'),
  E_QUEUE_HAND_BACK: code(
    'interrupted',
    'a job cancelled by a worker shutting down, handed back to the queue',
  ),
  // No exit status: HTTP answers of `rlm serve` / `rlm mcp --http` and tool errors of `rlm mcp`.
  E_OUTSIDE_ROOTS: code('none', 'rlm mcp: a path argument outside the roots, or no roots'),
  E_AUTH: code('none', 'no or wrong bearer token (HTTP 401)'),
  E_ORIGIN: code('none', 'a non-loopback Host or Origin without a token (HTTP 403)'),
  E_SESSION: code('none', 'rlm mcp --http: an unknown, closed or missing MCP session'),
  E_NOT_FOUND: code('none', 'no such run or route (HTTP 404)'),
  E_CONFLICT: code('none', 'an Idempotency-Key reused for another request (HTTP 409)'),
  E_CAPACITY: code('none', 'the server is at capacity (HTTP 429 with Retry-After)', 'retryable'),
  E_SHUTTING_DOWN: code('none', 'the server is draining (HTTP 503)'),
} as const satisfies Record<`E_${string}`, ErrorCodeInfo>

/** Every error code rlm throws; `RlmError` takes only these. */
export type ErrorCode = keyof typeof ERROR_CODES

/** True for a registered code: narrows a string read from outside (a trace, a JSON body). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value)
}

/** A code read from outside as a registered one: unregistered codes become `fallback`. */
export function toErrorCode(value: unknown, fallback: ErrorCode = 'E_INTERNAL'): ErrorCode {
  return isErrorCode(value) ? value : fallback
}

/** The `rlm` exit status for any code: unregistered and never-exiting codes exit `internal`. */
export function exitCodeFor(code: string): ExitCode {
  return (isErrorCode(code) ? ERROR_CODES[code].exit : null) ?? EXIT.internal
}
