// What a run logs, read off the events it emits (so no loop code knows of logging): run start and
// end at info, a failed run and internal errors at error, an exhausted budget at warn, children,
// failed sub-calls, code errors and compaction at debug, every event whole at trace. The levels a
// run's logger does not show are worked out once per run: a quiet logger costs a switch per event.

import { redactValue } from '@rlm/errors'
import type { RlmConfig } from './config.ts'
import type { RlmEvent } from './events.ts'
import { redactedErrorCopy } from './log-redaction.ts'
import { createLogger, levelShows, type RlmLogger, silentLogger } from './logger.ts'
import type { LogLevel } from './setting-schemas.ts'

/** Characters of the query and of messages kept in a log line (the trace has them whole). */
const LINE_TEXT_CHARS = 500

export interface RunLog {
  /** Called with every event of the run, after redaction. */
  onEvent(event: RlmEvent): void
  /** A cause that is not an RlmError ended the run: a bug, logged with its stack. */
  internalError(runId: string, cause: unknown): void
  /** An onEvent listener threw; logged once per run. */
  listenerFailed(runId: string, cause: unknown): void
}

type Shown = Record<Exclude<LogLevel, 'silent'>, boolean>

/** The levels this run's lines go out at: both the config's logLevel and the logger must show them. */
function shownLevels(logger: RlmLogger, threshold: LogLevel): Shown {
  const shows = (level: Exclude<LogLevel, 'silent'>): boolean =>
    levelShows(threshold, level) && (logger.isLevelEnabled?.(level) ?? true)
  return {
    error: shows('error'),
    warn: shows('warn'),
    info: shows('info'),
    debug: shows('debug'),
    trace: shows('trace'),
  }
}

const cut = (text: string): string =>
  text.length > LINE_TEXT_CHARS ? `${text.slice(0, LINE_TEXT_CHARS)}… (${text.length} chars)` : text

const defaultLoggers = new WeakMap<RlmConfig, Promise<RlmLogger>>()

/** The config's logger, else (made once per config) human lines on stderr at logLevel. */
export function runLoggerFor(config: RlmConfig): Promise<RlmLogger> {
  if (config.logger) return Promise.resolve(config.logger)
  let made = defaultLoggers.get(config)
  if (!made) {
    const level = config.logLevel ?? 'warn'
    made = level === 'silent' ? Promise.resolve(silentLogger) : createLogger({ level, stderr: 'human' })
    defaultLoggers.set(config, made)
  }
  return made
}

/** Errors reach a user's own logger redacted too: their stacks repeat their messages. */
const redactedCause = (cause: unknown, redact: (text: string) => string): unknown =>
  cause instanceof Error ? redactedErrorCopy(cause, redact) : redactValue(cause, redact)

export function createRunLog(
  logger: RlmLogger,
  config: Pick<RlmConfig, 'logLevel' | 'logger'>,
  redact: (text: string) => string,
): RunLog {
  // With a logger of their own, a user filters with its level; logLevel, when given, also applies.
  const threshold = config.logLevel ?? (config.logger ? 'trace' : 'warn')
  const on = shownLevels(logger, threshold)
  let listenerFailureLogged = false
  return {
    onEvent(event) {
      if (on.trace) logger.trace({ event }, `event ${event.type}`)
      switch (event.type) {
        case 'run_start':
          if (on.info)
            logger.info(
              {
                runId: event.runId,
                query: cut(event.query),
                model: event.model,
                subModel: event.subModel,
                contextChars: event.context.length,
                documents: event.context.documents,
              },
              'run started',
            )
          return
        case 'run_end':
          logRunEnd(logger, on, event)
          return
        case 'budget_exhausted':
          if (on.warn)
            logger.warn(
              {
                runId: event.runId,
                nodeId: event.nodeId,
                budget: event.budget,
                limit: event.limit,
                used: event.used,
              },
              `budget ${event.budget} exhausted (${event.used} of ${event.limit}): the run stops with a partial answer`,
            )
          return
        case 'error':
          // E_INTERNAL is a bug in rlm (the loop turned an unexpected exception into it).
          if (event.code === 'E_INTERNAL' && on.error)
            logger.error(
              { runId: event.runId, nodeId: event.nodeId, code: event.code, fatal: event.fatal },
              `internal error (a bug in rlm): ${cut(event.message)}`,
            )
          else if (on.debug) logDetail(logger, event)
          return
        default:
          if (on.debug) logDetail(logger, event)
      }
    },
    internalError(runId, cause) {
      if (on.error)
        logger.error(
          { runId, err: redactedCause(cause, redact) },
          'internal error (a bug in rlm): the run ended with E_INTERNAL',
        )
    },
    listenerFailed(runId, cause) {
      if (listenerFailureLogged || !on.warn) return
      listenerFailureLogged = true
      logger.warn(
        { runId, err: redactedCause(cause, redact) },
        'an onEvent listener threw; the run goes on (logged once per run)',
      )
    },
  }
}

function logRunEnd(logger: RlmLogger, on: Shown, event: Extract<RlmEvent, { type: 'run_end' }>): void {
  const failed = event.status === 'error'
  if (!(failed ? on.error : on.info)) return
  const fields = {
    runId: event.runId,
    status: event.status,
    durationMs: Math.round(event.durationMs),
    inputTokens: event.usage.inputTokens,
    outputTokens: event.usage.outputTokens,
    costUsd: event.usage.costUsd,
    calls: event.usage.calls,
    subCalls: event.subCalls,
    maxDepthReached: event.maxDepthReached,
    ...(event.budget && { budget: event.budget }),
    ...(event.error && { code: event.error.code }),
  }
  if (failed) logger.error(fields, `run failed: ${event.error?.code} ${cut(event.error?.message ?? '')}`)
  else logger.info(fields, `run ended: ${event.status}`)
}

/** The debug lines: what happened inside a run that its result only sums up. */
function logDetail(logger: RlmLogger, event: RlmEvent): void {
  const at = { runId: event.runId, nodeId: event.nodeId }
  switch (event.type) {
    case 'child_start':
      logger.debug({ ...at, parentId: event.parentId, query: cut(event.query) }, 'child run started')
      return
    case 'child_end':
      logger.debug(
        { ...at, status: event.status, durationMs: Math.round(event.durationMs) },
        `child run ended: ${event.status}`,
      )
      return
    case 'subcall_end':
      if (event.status !== 'error') return
      logger.debug(
        { ...at, callId: event.callId, code: event.error?.code },
        `sub-call failed: ${event.error?.code} ${cut(event.error?.message ?? '')}`,
      )
      return
    case 'error':
      logger.debug(
        { ...at, code: event.code, fatal: event.fatal },
        `${event.fatal ? 'node ended by' : 'reported to the model'}: ${event.code} ${cut(event.message)}`,
      )
      return
    case 'compaction':
      logger.debug(
        { ...at, tokensBefore: event.tokensBefore, tokensAfter: event.tokensAfter },
        'history compacted',
      )
      return
    case 'batch_end':
      logger.debug(
        {
          ...at,
          fn: event.fn,
          size: event.size,
          ok: event.ok,
          errors: event.errors,
          cancelled: event.cancelled,
        },
        `${event.fn} of ${event.size} ended`,
      )
      return
    default:
      return
  }
}
