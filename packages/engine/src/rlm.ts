// createRlm: validates the config once, then runs queries (one-shot or as a session that keeps
// the sandbox and history). A run resolves to a result whatever happens inside it; only bad
// input to createRlm/run rejects.

import { createHash, randomUUID } from 'node:crypto'
import { dirname } from 'node:path'
import { errorFields, formatIssues, isRlmError, RlmError, redactValue, secretRedactor } from '@rlm/errors'
import { z } from 'zod'
import { createConcurrencyLimiter } from './concurrency-limiter.ts'
import { parseConfig, type RlmConfig, type RlmConfigInput } from './config.ts'
import { type ContextInput, resolveContext } from './context-loading.ts'
import type { ContextSource } from './context-source.ts'
import { wholeText } from './context-source.ts'
import type { EventListener, RlmEvent } from './events.ts'
import { modelName, type ResolvedModels, resolveModels } from './model-resolution.ts'
import type { ModelMessage } from './model-spec.ts'
import { rootModelWindow, subModelWindow } from './model-window.ts'
import { createNode, disposeNode, prewarmRootSandbox, runQuery } from './node-factory.ts'
import type { RunOutcome } from './node-outcome.ts'
import { type NodeState, newRecord } from './node-state.ts'
import { PROMPT_VERSION } from './prompt/system-prompt.ts'
import { addUsage, emptyUsage, type RecursionNode, type RlmResult, type RunUsage } from './result.ts'
import { RunBudget } from './run-budget.ts'
import { createRunLog, runLoggerFor } from './run-log.ts'
import { type ReplaySource, type RunScope, stamp } from './run-scope.ts'
import { pruneTraces } from './trace-files.ts'
import { openTrace, type TraceWriter } from './trace-writer.ts'

export interface RunOptions {
  query: string
  /** A string, `{ documents: [{ name, text }] }`, or a context loaded with @rlm/context. */
  context?: ContextInput
  signal?: AbortSignal
  /** Called with every event of this run (in addition to config.onEvent). */
  onEvent?: EventListener
  /** Append this run's events to this JSONL file (instead of config.trace); false: no trace. */
  trace?: string | false
}

export interface SessionOptions {
  context?: ContextInput
}

export interface SessionRunOptions {
  query: string
  signal?: AbortSignal
  onEvent?: EventListener
  trace?: string | false
}

export interface RlmSession {
  /** Runs the next query with the same sandbox (every variable kept) and the same history. */
  run(options: SessionRunOptions): Promise<RlmResult>
  /** The root model's message history so far. */
  readonly history: readonly ModelMessage[]
  close(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

export interface Rlm {
  readonly config: RlmConfig
  run(options: RunOptions): Promise<RlmResult>
  session(options?: SessionOptions): RlmSession
}

/** Internal hooks used by replay(). */
export interface RunInternals {
  replay?: ReplaySource
}

const runOptionsSchema = z.object({
  query: z.string({ error: 'expected the query as a string' }).min(1, 'expected a non-empty query'),
  context: z.unknown().optional(),
  signal: z
    .custom<AbortSignal>((v) => v instanceof AbortSignal, { message: 'expected an AbortSignal' })
    .optional(),
  onEvent: z
    .custom<EventListener>((v) => typeof v === 'function', { message: 'expected a function' })
    .optional(),
  trace: z.union([z.string().min(1), z.literal(false)]).optional(),
})

function parseRunOptions<T>(options: T, what: string): T {
  const r = runOptionsSchema.safeParse(options)
  if (r.success) return options
  const issues = formatIssues(r.error.issues, { root: `${what}.(options)`, prefix: what })
  throw new RlmError('E_CONFIG', `Invalid run options. ${issues}.`)
}

export function createRlm(input: RlmConfigInput): Rlm {
  const config = parseConfig(input)
  prewarmRootSandbox(config)
  let models: Promise<ResolvedModels> | undefined
  const getModels = (): Promise<ResolvedModels> => {
    models ??= resolveModels(config)
    models.catch(() => {
      models = undefined
    })
    return models
  }
  return {
    config,
    async run(options) {
      parseRunOptions(options, 'run')
      const [resolved, ctx] = await Promise.all([getModels(), resolveContext(options.context)])
      return execute(config, resolved, ctx, options, undefined, {})
    },
    session(options = {}) {
      return createSession(config, getModels, options)
    },
  }
}

/** Runs one query with a fresh scope; `node` is a session's persistent root node. */
export async function execute(
  config: RlmConfig,
  models: ResolvedModels,
  ctx: ContextSource,
  options: {
    query: string
    signal?: AbortSignal | undefined
    onEvent?: EventListener | undefined
    trace?: string | false | undefined
  },
  session: { node: NodeState | undefined } | undefined,
  internals: RunInternals,
): Promise<RlmResult> {
  assertPriced(config, models)
  const logger = await runLoggerFor(config)
  const started = performance.now()
  const runId = randomUUID()
  const tracePath = options.trace ?? config.trace
  if (tracePath) pruneTraces(dirname(tracePath), config.traceRetentionDays)
  const trace: TraceWriter | undefined = tracePath ? openTrace(tracePath) : undefined
  const listeners = [config.onEvent, options.onEvent].filter(
    (l): l is EventListener => typeof l === 'function',
  )
  // Every event (trace and listeners) and the result pass here: keys a server echoed stay on the host.
  const redact = secretRedactor()
  const log = createRunLog(logger, config, redact)
  const emit = (node: { id: string; depth: number }, payload: Parameters<RunScope['emit']>[1]): void => {
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
  const root = { id: '0', depth: 0 }
  const budget = new RunBudget(config.budget, (e) => emit(root, { type: 'budget_exhausted', ...e }))
  const callSignal = options.signal ? AbortSignal.any([budget.signal, options.signal]) : budget.signal
  const scope: RunScope = {
    runId,
    config,
    model: models.model,
    subModel: models.subModel,
    catalogWindow: models.catalogWindow,
    limiter: createConcurrencyLimiter(config.concurrency),
    childLimiters: new Map(),
    budget,
    signal: options.signal,
    callSignal,
    contextAccess: [],
    replay: internals.replay,
    maxLevel: 1,
    subCalls: 0,
    childRuns: 0,
    emit,
  }
  emit(root, {
    type: 'run_start',
    query: options.query,
    promptVersion: PROMPT_VERSION,
    model: modelName(models.model),
    subModel: modelName(models.subModel),
    context: {
      length: ctx.length,
      documents: ctx.documents.length,
      hash: fingerprint(ctx),
      ...(ctx.length <= TRACE_CONTEXT_CHARS && { text: wholeText(ctx) }),
    },
    settings: {
      ...settingsOf(config),
      contextWindow: rootModelWindow(scope),
      subContextWindow: subModelWindow(scope),
    },
  })

  let node = session?.node
  let outcome: RunOutcome
  try {
    if (node) {
      scope.memoryBudget = node.scope.memoryBudget // the session's root sandbox still holds its share
      node.scope = scope
      node.signal = scope.callSignal
      node.cellSignal = scope.callSignal
      node.record = newRecord(node.id, node.depth, options.query)
    } else {
      node = createNode(scope, root.id, 0, ctx, options.query)
      if (session) session.node = node
    }
    outcome = await runQuery(node, options.query)
  } catch (cause) {
    const error = errorFields(cause)
    emit(root, { type: 'error', code: error.code, message: error.message, fatal: true })
    outcome = { status: 'error', answer: '', error }
    if (!isRlmError(cause)) log.internalError(runId, cause)
  } finally {
    budget.dispose()
    if (node && !session) await disposeNode(node)
  }
  const tree = node?.record ?? newRecord(root.id, 0, options.query)
  const result: RlmResult = {
    answer: outcome.answer,
    status: outcome.status,
    ...(outcome.budget && { budget: outcome.budget }),
    ...(outcome.partialFrom && { partialFrom: outcome.partialFrom }),
    ...(outcome.error && { error: outcome.error }),
    tree,
    usage: rollUp(tree),
    durationMs: performance.now() - started,
    subCalls: scope.subCalls,
    maxDepthReached: scope.maxLevel,
    contextAccess: scope.contextAccess,
    runId,
    promptVersion: PROMPT_VERSION,
  }
  emit(root, {
    type: 'run_end',
    status: result.status,
    answer: result.answer,
    ...(result.budget && { budget: result.budget }),
    ...(result.partialFrom && { partialFrom: result.partialFrom }),
    ...(result.error && { error: result.error }),
    usage: result.usage,
    durationMs: result.durationMs,
    subCalls: result.subCalls,
    maxDepthReached: result.maxDepthReached,
  })
  trace?.close()
  return redactValue(result, redact)
}

function createSession(
  config: RlmConfig,
  getModels: () => Promise<ResolvedModels>,
  options: SessionOptions,
): RlmSession {
  const state: { node: NodeState | undefined } = { node: undefined }
  let ctx: Promise<ContextSource> | undefined
  let queue: Promise<unknown> = Promise.resolve()
  let closed = false
  // Closing ends the session's scope: a run in progress is cancelled like an aborted caller's.
  const stop = new AbortController()
  const close = async (): Promise<void> => {
    closed = true
    stop.abort(new RlmError('E_ABORTED', 'The session was closed while this run was in progress.'))
    await queue.catch(() => {})
    if (state.node) await disposeNode(state.node)
  }
  return {
    get history() {
      return state.node?.messages ?? []
    },
    run(runOptions) {
      parseRunOptions(runOptions, 'session.run')
      if (closed)
        return Promise.reject(
          new RlmError('E_CONFIG', 'This session is closed; start a new one with rlm.session().'),
        )
      // Queries of one session share one sandbox and history, so they run one after another.
      const next = queue.then(async () => {
        ctx ??= resolveContext(options.context)
        const [models, context] = await Promise.all([getModels(), ctx])
        const signal = runOptions.signal ? AbortSignal.any([runOptions.signal, stop.signal]) : stop.signal
        return execute(config, models, context, { ...runOptions, signal }, state, {})
      })
      queue = next.catch(() => {})
      return next
    },
    close,
    [Symbol.asyncDispose]: close,
  }
}

const TRACE_CONTEXT_CHARS = 100_000

/** A cost budget needs a price for every model it pays for: reservations are priced before calls. */
function assertPriced(config: RlmConfig, models: ResolvedModels): void {
  if (config.budget.maxCostUsd === undefined) return
  for (const m of new Set([models.model, models.subModel])) {
    if (!m.price) {
      throw new RlmError(
        'E_CONFIG',
        `budget.maxCostUsd needs the price of every model, and ${modelName(m)} has none: give the model a price (a spec model's \`price\`, or a provider setting), or use budget.maxTokens instead.`,
        { details: { model: modelName(m) } },
      )
    }
  }
}

function fingerprint(ctx: ContextSource): string {
  const h = createHash('sha1').update(String(ctx.length))
  const edge = 65_536
  if (ctx.length <= 2 * edge) h.update(ctx.slice(0, ctx.length))
  else h.update(ctx.slice(0, edge)).update(ctx.slice(ctx.length - edge, ctx.length))
  return h.digest('hex')
}

function settingsOf(c: RlmConfig): Record<string, unknown> {
  return {
    maxDepth: c.maxDepth,
    maxIterations: c.maxIterations,
    concurrency: c.concurrency,
    executionTimeoutMs: c.executionTimeoutMs,
    budget: c.budget,
    outputLimit: c.outputLimit,
    contextInlineLimit: c.contextInlineLimit,
    atMaxDepth: c.atMaxDepth,
    compaction: c.compaction,
    cache: c.cache !== false,
    tools: Object.keys(c.tools),
  }
}

function rollUp(node: RecursionNode): RunUsage {
  const total = addUsage(emptyUsage(), node.usage)
  for (const child of node.children) addUsage(total, rollUp(child))
  return total
}
