// Progress of an rlm_ask run for MCP progress notifications: the engine's events folded into
// counts (iterations, sub-calls done and in flight, child RLMs, tokens, cost), sent at most once
// per interval with a line an agent or a person can read, and the counts in `_meta["rlm/progress"]`.

import type { RlmEvent, RunUsage } from '@rlm/engine'
import { costText, countOf } from './run-figures.ts'

/** The `_meta` key of a progress notification's counts. */
export const PROGRESS_META_KEY = 'rlm/progress'

export interface RunCounts {
  /** Iterations started, over the whole tree. */
  iterations: number
  subCallsDone: number
  subCallsInFlight: number
  childRuns: number
  inputTokens: number
  outputTokens: number
  costUsd: number
  /** Calls whose cost the provider did not know (not in costUsd). */
  unpricedCalls: number
}

export interface ProgressUpdate {
  /** Grows with every notification (the events folded so far). */
  progress: number
  message: string
  counts: RunCounts
}

/** Where progress goes: one request's notifications/progress; resolves once it is sent. */
export type ProgressSink = (update: ProgressUpdate) => Promise<void>

export interface RunProgress {
  onEvent(event: RlmEvent): void
  /** Sends a line of its own now (e.g. that the run waits for a slot). */
  note(message: string): void
  /**
   * Sends what changed since the last notification, stops the timer, and resolves once it is sent:
   * the result must follow it, as a client drops progress that arrives after the result.
   */
  finish(): Promise<void>
}

export function progressMessage(c: RunCounts): string {
  const parts = [
    countOf(c.iterations, 'iteration'),
    `${countOf(c.subCallsDone, 'sub-call')} done, ${c.subCallsInFlight.toLocaleString('en-US')} in flight`,
    ...(c.childRuns > 0 ? [countOf(c.childRuns, 'child RLM')] : []),
    countOf(c.inputTokens + c.outputTokens, 'token'),
    costText(c.costUsd, c.unpricedCalls),
  ]
  return parts.join(' · ')
}

/** Folds one event into the counts; false when it changes nothing a notification shows. */
function fold(c: RunCounts, e: RlmEvent): boolean {
  switch (e.type) {
    case 'iteration_start':
      c.iterations++
      return true
    case 'subcall_start':
      c.subCallsInFlight++
      return true
    case 'subcall_end':
      c.subCallsInFlight = Math.max(0, c.subCallsInFlight - 1)
      c.subCallsDone++
      addUsage(c, e.usage)
      return true
    case 'model_reply':
      addUsage(c, e.usage)
      return true
    case 'child_start':
      c.childRuns++
      return true
    default:
      return false
  }
}

function addUsage(c: RunCounts, u: RunUsage): void {
  c.inputTokens += u.inputTokens
  c.outputTokens += u.outputTokens
  c.costUsd += u.costUsd
  c.unpricedCalls += u.unpricedCalls
}

export function createRunProgress(sink: ProgressSink, intervalMs: number): RunProgress {
  const counts: RunCounts = {
    iterations: 0,
    subCallsDone: 0,
    subCallsInFlight: 0,
    childRuns: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    unpricedCalls: 0,
  }
  let steps = 0
  let sentSteps = 0
  let lastSent = 0
  let timer: NodeJS.Timeout | undefined
  let sending: Promise<void> = Promise.resolve()
  const send = (): void => {
    timer = undefined
    if (steps === sentSteps) return
    sentSteps = steps
    lastSent = Date.now()
    sending = sink({ progress: steps, message: progressMessage(counts), counts: { ...counts } })
  }
  return {
    onEvent(event) {
      if (!fold(counts, event)) return
      steps++
      const wait = lastSent + intervalMs - Date.now()
      if (wait <= 0) send()
      else timer ??= setTimeout(send, wait)
    },
    note(message) {
      steps++
      sentSteps = steps
      lastSent = Date.now()
      sending = sink({ progress: steps, message, counts: { ...counts } })
    },
    finish() {
      if (timer) clearTimeout(timer)
      send()
      return sending
    },
  }
}
