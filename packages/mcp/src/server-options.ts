// The options of createMcpServer: which model and limits runs use, where paths may come from, how
// folders are read, where traces go.

import type { RlmConfigInput } from '@rlm/engine'
import type { PathLoadOptions } from './path-context.ts'

export interface McpServerOptions {
  /**
   * The engine config of every rlm_ask run (createRlm's: model, subModel, maxDepth, budget, cache,
   * ...). A function is called for each run; when it throws (no model configured, a missing key),
   * rlm_ask answers with that error and the other tools keep working. The config's budget and
   * maxDepth are the limits a call may not exceed.
   */
  engine: RlmConfigInput | (() => RlmConfigInput | Promise<RlmConfigInput>)
  /**
   * Folders path arguments may name (files and folders inside them). When empty or left out, the
   * client's MCP roots are used; a client without roots gets every path refused (E_OUTSIDE_ROOTS).
   */
  roots?: readonly string[]
  /** Folder for the runs' JSONL traces (offered as resources); false or left out: no traces. */
  traceDir?: string | false
  /** How folders are read (ignore patterns, default ignores, size caps). Symlinks out of a folder are never followed. */
  load?: PathLoadOptions
  /**
   * rlm_ask runs in progress at once (default 4), over every server made from this options object
   * (all the sessions of one HTTP server); more calls wait, cancellable, with a progress note.
   */
  maxConcurrentRuns?: number
  /** Least time between two progress notifications of one run (default 500 ms). */
  progressIntervalMs?: number
  /** The server's name and version in the MCP handshake (default "rlm", "0.0.0"). */
  name?: string
  version?: string
}
