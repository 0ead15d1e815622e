// replay(trace): re-runs a recorded run's code in a fresh sandbox, answering every model call
// from the recording (root turns by node and order, sub-calls by prompt hash), and reports
// where the new outputs differ from the recorded ones.

import { RlmError, toErrorCode } from '@rlm/errors'
import { SPECIFICATION_VERSION } from '@rlm/spec'
import { parseConfig, type RlmConfigInput } from './config.ts'
import { type ContextInput, resolveContext } from './context-loading.ts'
import type { EventListener, RlmEvent } from './events.ts'
import type { LanguageModel, ModelResponse } from './model-spec.ts'
import type { RlmResult } from './result.ts'
import { execute } from './rlm.ts'
import type { ReplaySource } from './run-scope.ts'
import { readTrace } from './trace-read.ts'
import type { TraceEvent } from './trace-schema.ts'

export interface ReplayOptions {
  /** The context of the recorded run; optional when the trace stored it (contexts up to 100,000 characters). */
  context?: ContextInput
  /** Settings the trace cannot hold, such as custom tools (their `execute` runs again). */
  config?: Partial<Omit<RlmConfigInput, 'model' | 'subModel'>>
  onEvent?: EventListener
  trace?: string
}

export interface ReplayDivergence {
  nodeId: string
  iteration: number
  cell: number
  expected: string
  actual: string
}

export interface ReplayResult extends RlmResult {
  replay: {
    /** The recorded run's id and answer, for comparison. */
    recordedRunId: string
    recordedAnswer: string | undefined
    /** Cells whose output differs from the recording (empty when the replay reproduced the run). */
    divergences: ReplayDivergence[]
  }
}

type RunStart = Extract<TraceEvent, { type: 'run_start' }>
type RunEnd = Extract<TraceEvent, { type: 'run_end' }>
type CodeEnd = Extract<TraceEvent, { type: 'code_end' }>

/** Reads a JSONL trace (a path) or takes events; re-runs its first run against the recorded replies. */
export async function replay(
  trace: string | readonly RlmEvent[],
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const events: TraceEvent[] =
    typeof trace === 'string' ? readTrace(trace, { mode: 'strict' }).events : [...trace]
  const { start, run, end } = firstRecordedRun(events)
  const { source, recordedCells } = recordingSource(start, run, end)
  const ctx = await recordedContext(start, options.context)
  const { config, model, subModel } = recordedConfig(start, options.config)
  const divergences: ReplayDivergence[] = []
  const result = await execute(
    config,
    { model, subModel },
    ctx,
    {
      query: start.query,
      onEvent: (e) => {
        if (e.type === 'code_end') {
          const divergence = compareCell(recordedCells, e)
          if (divergence) divergences.push(divergence)
        }
        options.onEvent?.(e)
      },
      trace: options.trace,
      // The recorded seed and clock start: the guests draw the same numbers and read the same dates.
      seed: start.seed,
      clockStartMs: start.clockStartMs,
    },
    undefined,
    { replay: source },
  )
  return {
    ...result,
    replay: { recordedRunId: start.runId, recordedAnswer: end?.answer, divergences },
  }
}

/** The trace's first run: its run_start, its events and its run_end (absent if it never ended). */
function firstRecordedRun(events: TraceEvent[]): { start: RunStart; run: TraceEvent[]; end?: RunEnd } {
  const start = events.find((e): e is RunStart => e.type === 'run_start')
  if (!start)
    throw new RlmError(
      'E_CONFIG',
      'replay: the trace has no run_start event; pass a trace written with the `trace` option.',
    )
  const run = events.filter((e) => e.runId === start.runId)
  const end = run.find((e): e is RunEnd => e.type === 'run_end')
  return { start, run, end }
}

/**
 * The recorded replies as a ReplaySource (root turns by node and purpose in order, sub-call
 * answers by prompt hash, the budget the run ended on) and the recorded cells to compare against.
 */
function recordingSource(
  start: RunStart,
  run: TraceEvent[],
  end: RunEnd | undefined,
): { source: ReplaySource; recordedCells: Map<string, CodeEnd> } {
  const replies = new Map<string, ModelResponse[]>()
  const answers = new Map<string, Array<ModelResponse | RlmError>>()
  const toolResults = new Map<string, Array<{ result: unknown } | RlmError>>()
  const recordedCells = new Map<string, CodeEnd>()
  for (const e of run) {
    if (e.type === 'model_reply') push(replies, `${e.nodeId}|${e.purpose}`, response(e.text, e.usage))
    else if (e.type === 'subcall_end') {
      push(
        answers,
        e.promptHash,
        e.error ? new RlmError(toErrorCode(e.error.code), e.error.message) : response(e.answer, e.usage),
      )
    } else if (e.type === 'tool_end' && !e.replaySafe) {
      push(
        toolResults,
        e.argsHash,
        e.error ? new RlmError(toErrorCode(e.error.code), e.error.message) : { result: e.result },
      )
    } else if (e.type === 'code_end') recordedCells.set(cellKey(e), e)
  }
  const endBudget =
    end?.budget && end.budget !== 'maxIterations' && end.budget !== 'maxErrors'
      ? {
          budget: end.budget,
          limit: Number((start.settings.budget as Record<string, unknown> | undefined)?.[end.budget] ?? 0),
          used: 0,
        }
      : undefined
  const source: ReplaySource = {
    endBudget,
    nodeReply(nodeId, purpose) {
      const next = replies.get(`${nodeId}|${purpose}`)?.shift()
      if (next) return next
      throw new RlmError(
        'E_REPLAY_EXHAUSTED',
        `replay: the recording has no further ${purpose} reply for node ${nodeId}; the run diverged.`,
      )
    },
    subAnswer(promptHash) {
      const next = answers.get(promptHash)?.shift()
      if (next === undefined) {
        throw new RlmError(
          'E_REPLAY_EXHAUSTED',
          'replay: no recorded answer for this sub-call prompt; the code asked something new.',
        )
      }
      if (next instanceof RlmError) throw next
      return next
    },
    toolResult(name, argsHash) {
      const next = toolResults.get(argsHash)?.shift()
      if (next === undefined) {
        throw new RlmError(
          'E_REPLAY_EXHAUSTED',
          `replay: no recorded result for this call of ${name}, which is not replay-safe, so it is not run again; the code asked something new.`,
        )
      }
      if (next instanceof RlmError) throw next
      return next.result ?? null
    },
  }
  return { source, recordedCells }
}

/** The context to replay against: the caller's or the trace's, of the recorded length. */
async function recordedContext(start: RunStart, given: ContextInput | undefined) {
  const contextInput = given ?? start.context.text
  if (contextInput === undefined) {
    throw new RlmError(
      'E_CONFIG',
      `replay: the trace does not hold its ${start.context.length}-character context; pass it as options.context.`,
    )
  }
  const ctx = await resolveContext(contextInput)
  if (ctx.length !== start.context.length) {
    throw new RlmError(
      'E_CONFIG',
      `replay: the context has ${ctx.length} characters but the recorded run had ${start.context.length}.`,
    )
  }
  return ctx
}

/** The recorded run's settings (no wall-time budget) over placeholder models named as recorded. */
function recordedConfig(start: RunStart, overrides: ReplayOptions['config']) {
  const settings = start.settings as Record<string, unknown>
  const model = placeholderModel(start.model, settings.contextWindow)
  const subModel = placeholderModel(start.subModel, settings.subContextWindow)
  const config = parseConfig({
    ...pick(settings, [
      'maxDepth',
      'maxIterations',
      'concurrency',
      'executionTimeoutMs',
      'outputLimit',
      'contextInlineLimit',
      'atMaxDepth',
      'compaction',
    ]),
    budget: withoutWallTime(settings.budget),
    ...overrides,
    model,
    subModel,
  })
  return { config, model, subModel }
}

const cellKey = (e: { nodeId: string; iteration: number; cell: number }): string =>
  `${e.nodeId}|${e.iteration}|${e.cell}`

/** A replayed cell whose output differs from the recording's (or that the recording lacks). */
function compareCell(recordedCells: Map<string, CodeEnd>, e: Extract<RlmEvent, { type: 'code_end' }>) {
  const before = recordedCells.get(cellKey(e))
  if (before && before.output === e.output) return undefined
  return {
    nodeId: e.nodeId,
    iteration: e.iteration,
    cell: e.cell,
    expected: before?.output ?? '',
    actual: e.output,
  } satisfies ReplayDivergence
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

function response(
  text: string,
  usage: { inputTokens: number; outputTokens: number; costUsd: number },
): ModelResponse {
  return {
    text,
    usage: { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens },
    costUsd: usage.costUsd,
    finishReason: 'stop',
    raw: null, // the recording keeps answers, not provider bodies
    timing: { startedAt: Date.now(), durationMs: 0 },
  }
}

function placeholderModel(name: string, contextWindow: unknown): LanguageModel {
  const [provider = 'replay', ...rest] = name.split(':')
  return {
    specificationVersion: SPECIFICATION_VERSION,
    provider,
    modelId: rest.join(':') || name,
    contextWindow: typeof contextWindow === 'number' ? contextWindow : undefined,
    generate: () => Promise.reject(new RlmError('E_INTERNAL', 'replay never calls a model')),
  }
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k]
  return out
}

function withoutWallTime(budget: unknown): Record<string, unknown> {
  // A replay runs faster than the recording; its end comes from the recorded replies instead.
  const { maxWallTimeMs: _, ...rest } = (budget ?? {}) as Record<string, unknown>
  return rest
}
