export type { AccessEvent, AccessKind, AccessListener } from './access-log.ts'
export type { ChunkSpan, ChunkStrategy } from './chunk.ts'
export {
  type Chunk,
  Context,
  type ContextDocument,
  type CountTokensOptions,
  MAX_STRING_LENGTH,
  type TaskOptions,
} from './context.ts'
export { ContextErrorCode, type ContextWarning } from './context-errors.ts'
export {
  type ChunkOptions,
  DEFAULT_MAX_CHUNKS,
  DEFAULT_MAX_RESULT_CHARS,
  type SearchOptions,
} from './context-options.ts'
export type { ContextSource, ContextSourceDocument } from './context-source.ts'
export { prewarmTaskWorker } from './context-tasks.ts'
export { countTextTokens } from './count-text-tokens.ts'
export type { ContentType, ContextShape } from './describe.ts'
export { DEFAULT_IGNORES } from './ignore-rules.ts'
export type { RegExpExecMatch, RegExpExecOptions } from './js-regexp-exec.ts'
export { type ContextInput, type LoadOptions, loadContext } from './load-context.ts'
export type { SearchHit } from './search.ts'
export { encodingForModel, freeEncoders, type TokenEncodingName } from './token-encoding.ts'
