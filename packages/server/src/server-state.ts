// What every route reads: the models served, the caps, the context roots, the engine defaults
// and the run manager. Built once by createServer.

import type { RlmConfigInput } from '@rlm/engine'
import type { ContextRoot } from './context-paths.ts'
import type { RunManager } from './run-manager.ts'
import type { RunCaps } from './run-settings.ts'
import type { ServedModels } from './served-models.ts'

/** Engine settings every run gets (the caps and the client's choices are applied over them). */
export type EngineDefaults = Omit<RlmConfigInput, 'model' | 'subModel' | 'onEvent' | 'trace'>

export interface ServerState {
  models: ServedModels
  caps: RunCaps
  roots: readonly ContextRoot[]
  engine: EngineDefaults
  runs: RunManager
  /** How long a disconnected client with an Idempotency-Key has to come back before its run is cancelled. */
  reattachGraceMs: number
  /** Largest request body read, in bytes (413 beyond). */
  maxBodyBytes: number
}
