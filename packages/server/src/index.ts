// @rlm/server: rlm over HTTP. OpenAI-compatible models and chat completions, a runs API with live
// tree events over SSE, cancellation through the whole tree, the live viewer, auth and limits.

export { ApiError, type ApiErrorBody } from './api-error.ts'
export { createServer, DEFAULT_SHUTDOWN_GRACE_MS, type RlmServer } from './create-server.ts'
export { DEFAULT_HOST, DEFAULT_PORT, type ListeningServer, type ListenOptions } from './listen-node.ts'
export { isLoopbackHostname } from './loopback.ts'
export type { CancelReason, ManagedRun, ManagedStatus, RunResult, RunSubscriber } from './managed-run.ts'
export {
  createRunManager,
  RUN_MANAGER_DEFAULTS,
  type RunManager,
  type RunManagerOptions,
  type RunObserver,
  type RunRequest,
  type SubmitOptions,
} from './run-manager.ts'
export type { RunCaps } from './run-settings.ts'
export type { RunState } from './run-state.ts'
export type { ApiUsage, TreeNodeSummary } from './run-tree.ts'
export { DEFAULT_MODEL_NAME, type ModelRef } from './served-models.ts'
export { MIN_TOKEN_CHARS, type ServerOptions } from './server-options.ts'
export type { EngineDefaults } from './server-state.ts'
