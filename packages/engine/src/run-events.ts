// Where one run's events go: every event is stamped, redacted, then written to the trace file,
// the run's log and the caller's listeners (a failing listener never ends a run).

import { dirname } from 'node:path'
import { redactValue } from '@rlm/errors'
import type { RlmConfig } from './config.ts'
import type { EventListener, RlmEvent } from './events.ts'
import type { RlmLogger } from './logger.ts'
import { createRunLog, type RunLog } from './run-log.ts'
import { type RunScope, stamp } from './run-scope.ts'
import { pruneTraces } from './trace-files.ts'
import { openTrace, type TraceWriter } from './trace-writer.ts'

export interface RunEvents {
  emit: RunScope['emit']
  log: RunLog
  /** Closes the trace file, after the run's last event. */
  close(): void
}

export function openRunEvents(
  config: RlmConfig,
  logger: RlmLogger,
  runId: string,
  options: { onEvent?: EventListener | undefined; trace?: string | false | undefined },
  redact: (text: string) => string,
): RunEvents {
  const tracePath = options.trace ?? config.trace
  if (tracePath) pruneTraces(dirname(tracePath), config.traceRetentionDays)
  const trace: TraceWriter | undefined = tracePath ? openTrace(tracePath) : undefined
  const listeners = [config.onEvent, options.onEvent].filter(
    (l): l is EventListener => typeof l === 'function',
  )
  const log = createRunLog(logger, config, redact)
  const emit: RunScope['emit'] = (node, payload) => {
    const event: RlmEvent = redactValue(stamp(runId, node, payload), redact)
    trace?.write(event)
    log.onEvent(event)
    for (const l of listeners) {
      try {
        l(event)
      } catch (err) {
        // a failing listener never ends a run
        log.listenerFailed(runId, err)
      }
    }
  }
  return { emit, log, close: () => trace?.close() }
}
