// llm_query and rlm_query on the host: each one budgeted, limited, recorded in the tree and
// reported as events. Depth is decided here, never by the guest.

import { errorFields, isRlmError, RlmError, redactError, toErrorCode } from '@rlm/errors'
import { createConcurrencyLimiter } from './concurrency-limiter.ts'
import type { LazyText } from './context-range.ts'
import { callModel } from './model-call.ts'
import { subModelWindow } from './model-window.ts'
import type { RunOutcome } from './node-outcome.ts'
import type { NodeState } from './node-state.ts'
import { SubCallPrompt, type SubPrompt } from './sub-call-prompt.ts'
import { errorMarker, SubCallReport } from './sub-call-report.ts'
import { wholeContextForSubModel } from './whole-context-prompt.ts'

export interface SubCallOptions {
  maxOutputTokens?: number | undefined
  temperature?: number | undefined
  /** The scope the call belongs to; default the node's running cell. */
  signal?: AbortSignal | undefined
}

/** Starts a child node and runs it to its end; supplied by the loop to avoid an import cycle. */
export type ChildRunner = (
  parent: NodeState,
  id: string,
  query: string,
  text: string | null,
  signal: AbortSignal,
) => Promise<RunOutcome>

export type { SubPrompt } from './sub-call-prompt.ts'
export { errorMarker } from './sub-call-report.ts'

/** Thrown by a call whose scope ended before it was sent: nothing was billed or recorded. */
function notStarted(signal: AbortSignal): RlmError {
  const reason: unknown = signal.reason
  const base = isRlmError(reason) ? reason : undefined
  return new RlmError(
    base?.code ?? 'E_CANCELLED',
    base?.message ?? 'The call was cancelled before it started.',
    {
      details: { notStarted: true },
    },
  )
}

export function isNotStarted(e: unknown): boolean {
  return isRlmError(e) && e.details.notStarted === true
}

/**
 * One sub-model call; throws RlmError (E_BUDGET, E_CONTEXT_WINDOW, E_PROVIDER_*, E_CANCELLED) on
 * failure. A deferred prompt's text is read when the call holds its slot (a replay reads it at
 * once); if the call ends before that, its record shows the instruction and an empty promptHash.
 */
export async function llmQuery(node: NodeState, prompt: SubPrompt, options: SubCallOptions): Promise<string> {
  const scope = node.scope
  const signal = options.signal ?? node.cellSignal
  if (signal.aborted) throw notStarted(signal)
  const model = scope.subModel
  const maxOutputTokens = options.maxOutputTokens ?? scope.config.subMaxOutputTokens
  const window = subModelWindow(scope)
  const subPrompt = new SubCallPrompt(prompt)
  await subPrompt.assertFits(window, maxOutputTokens)
  scope.budget.takeSubCall()
  scope.subCalls++
  const callId = `${node.id}:${++node.subSeq}`
  if (typeof prompt === 'string' || scope.replay) subPrompt.readNow()
  const report = new SubCallReport(node, callId, subPrompt, model)
  try {
    const res = await callModel(scope, model, subPrompt.messages(), {
      maxOutputTokens,
      temperature: options.temperature,
      signal,
      window,
      onStart: report.begin,
      // Only a replay reads the key, and a replay has read the prompt above.
      replayKey: { kind: 'sub', promptHash: subPrompt.hash, prompt: subPrompt.text ?? '' },
    })
    report.succeeded(res)
    return res.text
  } catch (cause) {
    if (!report.started && signal.aborted) {
      // Queued and never sent: not a sub-call at all.
      scope.budget.refundSubCall()
      scope.subCalls--
      throw notStarted(signal)
    }
    report.failed(cause, signal.aborted)
    // The guest sees this error's message: a key a server echoed in it stays on the host.
    throw redactError(cause)
  }
}

/** Tallies a batch's items for its batch_end event. */
interface BatchTally {
  ok: number
  errors: number
  cancelled: number
  notStarted: number
}

function tally(t: BatchTally, outcome: 'ok' | 'error' | 'cancelled' | 'notStarted'): void {
  t[outcome === 'error' ? 'errors' : outcome]++
}

async function inBatch<T>(
  node: NodeState,
  fn: 'llm_query_batched' | 'rlm_query_batched',
  size: number,
  body: (t: BatchTally, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const scope = node.scope
  const signal = node.cellSignal
  const batchId = `${node.id}:b${++node.subSeq}`
  const started = performance.now()
  scope.emit(node, { type: 'batch_start', batchId, fn, size })
  const t: BatchTally = { ok: 0, errors: 0, cancelled: 0, notStarted: 0 }
  try {
    return await body(t, signal)
  } finally {
    scope.emit(node, { type: 'batch_end', batchId, fn, size, ...t, durationMs: performance.now() - started })
  }
}

/**
 * Many sub-calls; `resolve` turns each item into its prompt just before its call (so a range's
 * text lives only while its call is in flight). A failed item leaves an error marker in its slot.
 * When the cell ends, lanes stop pulling: the rest are never started.
 */
export async function llmQueryBatched<T>(
  node: NodeState,
  items: T[],
  options: SubCallOptions,
  resolve: (item: T, index: number) => { prompt: SubPrompt; maxOutputTokens?: number | undefined },
): Promise<string[]> {
  return inBatch(node, 'llm_query_batched', items.length, async (t, signal) => {
    // A few lanes pull prompts in order, as many as the limiter admits at once: 10,000 prompts are
    // not 10,000 waiting calls, and each prompt is let go as soon as its call has ended.
    const queue: Array<T | undefined> = items
    const answers = new Array<string>(queue.length)
    let next = 0
    const lane = async (): Promise<void> => {
      while (next < queue.length) {
        const i = next++
        const item = queue[i] as T
        queue[i] = undefined
        if (signal.aborted) {
          answers[i] = errorMarker('llm_query', errorFields(notStarted(signal)))
          tally(t, 'notStarted')
          continue
        }
        try {
          const { prompt, maxOutputTokens } = resolve(item, i)
          answers[i] = await llmQuery(node, prompt, {
            ...options,
            maxOutputTokens: maxOutputTokens ?? options.maxOutputTokens,
            signal,
          })
          tally(t, 'ok')
        } catch (e) {
          answers[i] = errorMarker('llm_query', errorFields(e))
          tally(t, isNotStarted(e) ? 'notStarted' : signal.aborted ? 'cancelled' : 'error')
        }
      }
    }
    const lanes = Math.min(queue.length, node.scope.limiter.limit)
    await Promise.all(Array.from({ length: lanes }, lane))
    return answers
  })
}

/** A child RLM one level deeper; at max depth a plain sub-call (or E_DEPTH when configured). */
export async function rlmQuery(
  node: NodeState,
  query: string,
  text: string | LazyText | null,
  runChild: ChildRunner,
  options: SubCallOptions = {},
): Promise<string> {
  const scope = node.scope
  const signal = options.signal ?? node.cellSignal
  const childDepth = node.depth + 1
  if (childDepth >= scope.config.maxDepth) {
    if (scope.config.atMaxDepth === 'error') {
      throw new RlmError(
        'E_DEPTH',
        `rlm_query cannot start a child at depth ${childDepth + 1}: maxDepth is ${scope.config.maxDepth}. Use llm_query here.`,
        { details: { depth: childDepth, maxDepth: scope.config.maxDepth } },
      )
    }
    // One sub-model call instead of a child: with no text, it reads this node's context.
    const prompt: SubPrompt =
      text === null
        ? { instruction: query, ...wholeContextForSubModel(node) }
        : typeof text === 'string'
          ? `${query}\n\n${text}`
          : { instruction: query, text }
    return llmQuery(node, prompt, { ...options, signal })
  }
  if (signal.aborted) throw notStarted(signal)
  assertChildRunLeft(scope)
  scope.budget.takeSubCall()
  scope.subCalls++
  scope.childRuns++
  const id = `${node.id}.${++node.childSeq}`
  let limiter = scope.childLimiters.get(childDepth)
  if (!limiter) {
    limiter = createConcurrencyLimiter(scope.config.concurrency)
    scope.childLimiters.set(childDepth, limiter)
  }
  let outcome: RunOutcome
  try {
    // A range is read when the child starts, not while it waits for its slot.
    const read = () => (typeof text === 'object' && text !== null ? text.read() : text)
    outcome = await limiter.run(() => runChild(node, id, query, read(), signal), signal)
  } catch (cause) {
    if (!signal.aborted) throw cause
    scope.budget.refundSubCall()
    scope.subCalls--
    scope.childRuns--
    throw notStarted(signal)
  }
  if (outcome.status === 'error') {
    throw new RlmError(
      toErrorCode(outcome.error?.code),
      `Child RLM ${id} failed: ${outcome.error?.message ?? 'unknown error'}`,
    )
  }
  return outcome.answer
}

/** Past limits.maxChildRuns child RLMs in this run, another one is refused with E_LIMIT. */
function assertChildRunLeft(scope: NodeState['scope']): void {
  const max = scope.config.limits.maxChildRuns
  if (scope.childRuns >= max) {
    throw new RlmError(
      'E_LIMIT',
      `rlm_query: this run has already started ${max.toLocaleString('en-US')} child RLMs, its limit (limits.maxChildRuns). Use llm_query for the remaining pieces, or raise limits.maxChildRuns.`,
      { details: { limit: 'maxChildRuns', max } },
    )
  }
}

/** Several children in parallel; `resolve` gives each its query and text (a failure fails only its slot). */
export async function rlmQueryBatched<T>(
  node: NodeState,
  items: T[],
  runChild: ChildRunner,
  resolve: (
    item: T,
    index: number,
  ) => { query: string; text: string | LazyText | null; options?: SubCallOptions },
): Promise<string[]> {
  return inBatch(node, 'rlm_query_batched', items.length, (t, signal) =>
    Promise.all(
      items.map(async (item, i) => {
        try {
          const { query, text, options } = resolve(item, i)
          const answer = await rlmQuery(node, query, text, runChild, { ...options, signal })
          tally(t, 'ok')
          return answer
        } catch (e) {
          tally(t, isNotStarted(e) ? 'notStarted' : signal.aborted ? 'cancelled' : 'error')
          return errorMarker('rlm_query', errorFields(e))
        }
      }),
    ),
  )
}
