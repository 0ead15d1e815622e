// The result envelope of `Sandbox.run` and the stable error codes it can carry.

export const SandboxErrorCode = {
  /** The code does not parse; `line` and `column` (1-based) point at the problem. */
  syntax: 'E_SYNTAX',
  /** The guest threw; `name`, `message` and the guest `stack` are copied out. */
  runtime: 'E_RUNTIME',
  /** The run passed its wall-time deadline (`timeoutMs`). */
  timeout: 'E_TIMEOUT',
  /** The guest heap reached `memoryLimitBytes`. */
  memory: 'E_MEMORY',
  /** Static checks rejected the code before it ran (`import`, `require`, `process`, `eval`, ...). */
  forbidden: 'E_FORBIDDEN',
  /** The completion value was too large to hand back (`valueLimitBytes`). */
  outputLimit: 'E_OUTPUT_LIMIT',
  /** `run` was called after `dispose()`. */
  disposed: 'E_DISPOSED',
  /** The sandbox itself failed (worker crash); the sandbox was reset. */
  internal: 'E_SANDBOX_INTERNAL',
} as const

export type SandboxErrorCode = (typeof SandboxErrorCode)[keyof typeof SandboxErrorCode]

export interface SandboxError {
  code: SandboxErrorCode
  message: string
  /** Guest error class name for E_RUNTIME (`TypeError`, ...) and E_SYNTAX. */
  name?: string
  /** Guest stack trace for E_RUNTIME (guest frames only). */
  stack?: string
  /** 1-based position for E_SYNTAX and E_FORBIDDEN. */
  line?: number
  column?: number
  /** True when the worker was replaced: guest state from earlier runs is gone. */
  reset?: boolean
}

interface RunResultBase {
  /** What the guest printed (print, console.*), capped at `outputLimitBytes` with a marker. */
  output: string
  /** Wall time of the run as seen by the host. */
  durationMs: number
  /** True when this run replaced the worker (after an unstoppable timeout or a crash). */
  reset?: boolean
}

export interface RunSuccess extends RunResultBase {
  ok: true
  /** The completion value of the last statement, as JSON-like data (absent when undefined). */
  value?: unknown
  /** Set when the completion value could not be converted (e.g. nested too deep); `value` is absent. */
  valueError?: string
}

export interface RunFailure extends RunResultBase {
  ok: false
  error: SandboxError
}

export type RunResult = RunSuccess | RunFailure
