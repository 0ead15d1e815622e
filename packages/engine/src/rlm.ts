// createRlm: validates the config once, then runs queries (one-shot or as a session that keeps
// the sandbox and history). A run resolves to a result whatever happens inside it; only bad
// input to createRlm/run rejects.

import { randomUUID } from 'node:crypto'
import { errorFields, formatIssues, isRlmError, RlmError, redactValue, secretRedactor } from '@rlm/errors'
import { z } from 'zod'
import { createConcurrencyLimiter } from './concurrency-limiter.ts'
import { parseConfig, type RlmConfig, type RlmConfigInput } from './config.ts'
import { type ContextInput, resolveContext } from './context-loading.ts'
import type { ContextSource } from './context-source.ts'
import type { EventListener } from './events.ts'
import { modelName, type ResolvedModels, resolveModels } from './model-resolution.ts'
import type { ModelMessage } from './model-spec.ts'
import { createNode, disposeNode, prewarmRootSandbox, runQuery } from './node-factory.ts'
import type { RunOutcome } from './node-outcome.ts'
import { type NodeState, newRecord } from './node-state.ts'
import type { RlmResult } from './result.ts'
import { RunBudget } from './run-budget.ts'
import { clockStartSchema, type RunDeterminism, resolveDeterminism, seedSchema } from './run-determinism.ts'
import { openRunEvents } from './run-events.ts'
import { type RunLog, runLoggerFor } from './run-log.ts'
import type { ReplaySource, RunScope } from './run-scope.ts'
import { runEndEvent, runResult, runStartEvent } from './run-summary.ts'

export interface RunOptions {
  query: string
  /** A string, `{ documents: [{ name, text }] }`, or a context loaded with @rlm/context. */
  context?: ContextInput
  signal?: AbortSignal
  /** Called with every event of this run (in addition to config.onEvent). */
  onEvent?: EventListener
  /** Append this run's events to this JSONL file (instead of config.trace); false: no trace. */
  trace?: string | false
  /**
   * Seeds the guests' Math.random and makes their clock deterministic (default config.seed; none:
   * the real ones). Recorded in the trace's run_start, with the clock's start.
   */
  seed?: number
  /**
   * The guest clock's first reading (ms since the epoch) in a seeded run; default the time the run
   * starts. Pass a recorded run_start's clockStartMs to reproduce its dates.
   */
  clockStartMs?: number
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
  seed: seedSchema.optional(),
  clockStartMs: clockStartSchema.optional(),
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
    seed?: number | undefined
    clockStartMs?: number | undefined
  },
  session: { node: NodeState | undefined } | undefined,
  internals: RunInternals,
): Promise<RlmResult> {
  assertPriced(config, models)
  const logger = await runLoggerFor(config)
  const started = performance.now()
  const runId = randomUUID()
  // Every event (trace and listeners) and the result pass here: keys a server echoed stay on the host.
  const redact = secretRedactor()
  const events = openRunEvents(config, logger, runId, options, redact)
  const determinism = resolveDeterminism(options.seed ?? config.seed, options.clockStartMs)
  const scope = createScope(config, models, runId, options.signal, { ...internals, determinism }, events.emit)
  events.emit(ROOT, runStartEvent(options.query, ctx, models, scope))
  const { node, outcome } = await runRoot(scope, ctx, options.query, session, events.log)
  const tree = node?.record ?? newRecord(ROOT.id, 0, options.query)
  const result = runResult(outcome, tree, scope, performance.now() - started)
  events.emit(ROOT, runEndEvent(result))
  events.close()
  return redactValue(result, redact)
}

const ROOT = { id: '0', depth: 0 } as const

/** The state every node of this run shares; an exhausted budget is reported on the root. */
function createScope(
  config: RlmConfig,
  models: ResolvedModels,
  runId: string,
  signal: AbortSignal | undefined,
  internals: RunInternals & { determinism: RunDeterminism },
  emit: RunScope['emit'],
): RunScope {
  const budget = new RunBudget(config.budget, (e) => emit(ROOT, { type: 'budget_exhausted', ...e }))
  return {
    runId,
    config,
    model: models.model,
    subModel: models.subModel,
    catalogWindow: models.catalogWindow,
    limiter: createConcurrencyLimiter(config.concurrency),
    childLimiters: new Map(),
    budget,
    signal,
    callSignal: signal ? AbortSignal.any([budget.signal, signal]) : budget.signal,
    contextAccess: [],
    replay: internals.replay,
    determinism: internals.determinism,
    maxLevel: 1,
    subCalls: 0,
    childRuns: 0,
    emit,
  }
}

/**
 * Runs the query on the root node: a session's node is taken over by this run's scope, otherwise
 * a fresh node is made and disposed of at the end. Whatever is thrown becomes an error outcome.
 */
async function runRoot(
  scope: RunScope,
  ctx: ContextSource,
  query: string,
  session: { node: NodeState | undefined } | undefined,
  log: RunLog,
): Promise<{ node: NodeState | undefined; outcome: RunOutcome }> {
  let node = session?.node
  let outcome: RunOutcome
  try {
    if (node) {
      scope.memoryBudget = node.scope.memoryBudget // the session's root sandbox still holds its share
      node.scope = scope
      node.signal = scope.callSignal
      node.cellSignal = scope.callSignal
      node.record = newRecord(node.id, node.depth, query)
    } else {
      node = createNode(scope, ROOT.id, 0, ctx, query)
      if (session) session.node = node
    }
    outcome = await runQuery(node, query)
  } catch (cause) {
    const error = errorFields(cause)
    scope.emit(ROOT, { type: 'error', code: error.code, message: error.message, fatal: true })
    outcome = { status: 'error', answer: '', error }
    if (!isRlmError(cause)) log.internalError(scope.runId, cause)
  } finally {
    scope.budget.dispose()
    if (node && !session) await disposeNode(node)
  }
  return { node, outcome }
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
