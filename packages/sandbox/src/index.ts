export { type CheckResult, type CodeProblem, checkCode } from './check-code.ts'
export { createSandbox, type PrewarmOptions, prewarmSandbox } from './create-sandbox.ts'
export { createMemoryBudget, type MemoryBudget } from './memory-budget.ts'
export type { HostFunction, SandboxOptions, SyncHostFunction } from './options.ts'
export {
  type RunFailure,
  type RunResult,
  type RunSuccess,
  type SandboxError,
  SandboxErrorCode,
} from './run-result.ts'
export type { RunOptions, Sandbox } from './sandbox.ts'
export type { SandboxFactory } from './sandbox-factory.ts'
export { type SandboxStats, sandboxStats } from './sandbox-stats.ts'
