// Messages between a Context and the worker that runs its long searches and chunk plans.
import type { ErrorCode } from '@rlm/errors'
import type { ChunkDocument, ChunkPlan, ChunkSpan } from './chunk.ts'
import type { PatternOptions } from './compile-pattern.ts'
import type { RegExpExecMatch, RegExpExecOptions } from './js-regexp-exec.ts'
import type { OffsetIndexParts } from './offset-index.ts'
import type { SearchBounds, SearchDocument, SearchHit } from './search.ts'

interface TaskBase {
  id: number
  /** The context's text (shared, not copied) and its offset index's tables (copied, small). */
  buffer: SharedArrayBuffer
  byteLength: number
  index: OffsetIndexParts
}

export interface SearchTask extends TaskBase {
  op: 'search'
  docs: SearchDocument[]
  pattern: string | RegExp
  options: PatternOptions
  bounds: SearchBounds
}

export interface ChunkTask extends TaskBase {
  op: 'chunk'
  docs: ChunkDocument[]
  plan: ChunkPlan
}

export interface ExecTask extends TaskBase {
  op: 'exec'
  source: string
  flags: string
  options: RegExpExecOptions
}

export type ContextTask = SearchTask | ChunkTask | ExecTask

export type TaskReply =
  | { id: number; ok: true; value: SearchHit[] | ChunkSpan[] | RegExpExecMatch[] }
  | { id: number; ok: false; code?: ErrorCode; message: string; details?: Record<string, unknown> }
