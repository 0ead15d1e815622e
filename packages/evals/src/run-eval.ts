// The runner: every suite x size x task through the RLM (and the direct baseline when asked),
// scored exactly, appended to the results file as each finishes, so a rerun resumes.
import { createRlm, type RlmEvent } from '@rlm/engine'
import { errorFields, isRlmError, RlmError, toErrorCode } from '@rlm/errors'
import { createCache, type LanguageModel, resolveModel, withCache } from '@rlm/providers'
import { summarize } from './aggregate.ts'
import { DEFAULT_CONTEXT_WINDOW, runDirect } from './direct-baseline.ts'
import type { EvalHooks } from './eval-events.ts'
import { type EvalOptions, type EvalOptionsInput, parseEvalOptions } from './eval-options.ts'
import { ACCURACY_NOTE, type EvalReport, MECHANICS_NOTE } from './eval-report.ts'
import { createOfflineReaderModel } from './offline/reader-model.ts'
import { createOfflineStrategyModel } from './offline/strategy-model.ts'
import { appendResult, readResultsFile } from './results-file.ts'
import { forEachLimited, type RlmTaskOutcome } from './rlm-task-runner.ts'
import { scoreAnswer } from './scoring.ts'
import { generateTask } from './suites/generate-task.ts'
import { taskId } from './suites/task-id.ts'
import { CHARS_PER_TOKEN, type EvalTask, type SuiteName } from './task.ts'
import { type Method, resultKey, type TaskResult } from './task-result.ts'

/** Errors that would fail every task the same way: stop the eval instead of recording them. */
const FATAL_CODES = new Set(['E_CONFIG', 'E_PROVIDER_AUTH', 'E_ABORTED', 'E_PROVIDER_ABORTED'])

/** Stops the eval between tasks when the caller aborts; finished results stay in the file. */
function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new RlmError('E_ABORTED', 'The eval was cancelled; rerun with the same results file to resume.', {
      cause: signal.reason,
    })
  }
}

const labelOf = (model: string | LanguageModel): string =>
  typeof model === 'string' ? model : `${model.provider}:${model.modelId}`

function contextChars(context: EvalTask['context']): number {
  return typeof context === 'string' ? context.length : context.reduce((sum, doc) => sum + doc.text.length, 0)
}

interface Slot {
  suite: SuiteName
  size: number
  index: number
  id: string
}

export async function runEval(input: EvalOptionsInput, hooks: EvalHooks = {}): Promise<EvalReport> {
  const options = parseEvalOptions(input)
  const emit = hooks.onEvent ?? (() => {})
  const started = performance.now()
  const startedAt = new Date().toISOString()
  const model = options.offline ? 'offline:strategy' : labelOf(options.model as string | LanguageModel)
  const subModel = options.offline
    ? 'offline:reader'
    : labelOf(options.subModel ?? (options.model as string | LanguageModel))
  const methods: Method[] = options.baseline === 'direct' ? ['rlm', 'direct'] : ['rlm']

  const finished = await readFinished(options, emit)
  const slots = planSlots(options)
  const planned = slots.length * methods.length
  const keyOf = (id: string, method: Method) => resultKey({ method, model, subModel, taskId: id })
  const resumed = slots.reduce((n, s) => n + methods.filter((m) => finished.has(keyOf(s.id, m))).length, 0)
  const kind = options.offline ? 'mechanics-check' : 'model-accuracy'
  emit({ type: 'eval_start', planned, resumed, kind })

  const run: EvalRun = {
    options,
    emit,
    methods,
    planned,
    base: { model, subModel, offline: options.offline },
    finished: (id, method) => finished.get(keyOf(id, method)),
    results: [],
    directModel: undefined,
  }
  await forEachLimited(slots, options.parallel, (slot) => runSlot(run, slot))
  // Finished in any order when tasks run in parallel: reported in the planned order.
  const order = new Map(slots.map((s, i) => [s.id, i]))
  const rank = (r: TaskResult): number => (order.get(r.taskId) ?? 0) * 2 + methods.indexOf(r.method)
  run.results.sort((a, b) => rank(a) - rank(b))

  return {
    kind,
    note: options.offline ? MECHANICS_NOTE : ACCURACY_NOTE,
    model,
    subModel,
    seed: options.seed,
    suites: options.suites,
    sizes: options.sizes,
    tasksPerSize: options.tasks,
    baseline: options.baseline,
    results: run.results,
    summary: summarize(run.results),
    resumed,
    startedAt,
    durationMs: performance.now() - started,
  }
}

/** Results already in the results file for this seed (errors run again), by result key. */
async function readFinished(
  options: EvalOptions,
  emit: NonNullable<EvalHooks['onEvent']>,
): Promise<Map<string, TaskResult>> {
  const finished = new Map<string, TaskResult>()
  if (!options.resultsFile) return finished
  const previous = await readResultsFile(options.resultsFile)
  for (const r of previous.results)
    if (r.status !== 'error' && r.seed === options.seed) finished.set(resultKey(r), r)
  if (previous.skippedLines.length > 0) {
    emit({
      type: 'warning',
      message: `Skipped ${previous.skippedLines.length} unreadable line(s) of ${options.resultsFile} (lines ${previous.skippedLines.slice(0, 5).join(', ')}); those tasks run again.`,
    })
  }
  return finished
}

function planSlots(options: EvalOptions): Slot[] {
  const slots: Slot[] = []
  for (const suite of options.suites) {
    for (const size of options.sizes) {
      for (let index = 0; index < options.tasks; index++)
        slots.push({ suite, size, index, id: taskId(suite, size, options.seed, index) })
    }
  }
  return slots
}

/** One eval in progress: what every slot needs, and the results so far. */
interface EvalRun {
  readonly options: EvalOptions
  readonly emit: NonNullable<EvalHooks['onEvent']>
  readonly methods: Method[]
  readonly planned: number
  readonly base: ResultBase
  finished(id: string, method: Method): TaskResult | undefined
  readonly results: TaskResult[]
  /** Resolved on the first direct-baseline task. */
  directModel: LanguageModel | undefined
}

/** One task, by every method not finished yet; the task is generated only if a method needs it. */
async function runSlot(run: EvalRun, slot: Slot): Promise<void> {
  const { options, emit, results } = run
  const pending: Method[] = []
  for (const method of run.methods) {
    const done = run.finished(slot.id, method)
    if (done) {
      results.push(done)
      emit({ type: 'task_skip', taskId: slot.id, method, reason: 'finished' })
    } else pending.push(method)
  }
  if (pending.length === 0) return
  checkAborted(options.signal)
  // Held only for this slot: a 400 MB context goes before the next one is generated.
  const task: EvalTask = generateTask(slot.suite, {
    size: slot.size,
    seed: options.seed,
    index: slot.index,
  })
  for (const method of pending) {
    emit({ type: 'task_start', taskId: slot.id, suite: slot.suite, size: slot.size, method })
    let result: TaskResult
    if (method === 'rlm') result = await runRlmTask(task, options, run.base, emit)
    else {
      run.directModel ??= await directModelFor(options)
      result = await runDirectTask(task, run.directModel, options, run.base)
    }
    checkAborted(options.signal)
    if (options.resultsFile) await appendResult(options.resultsFile, result)
    results.push(result)
    emit({ type: 'task_end', result, done: results.length, planned: run.planned })
  }
}

type ResultBase = Pick<TaskResult, 'model' | 'subModel' | 'offline'>

function resultOf(
  task: EvalTask,
  method: Method,
  base: ResultBase,
  fields: Partial<TaskResult> & Pick<TaskResult, 'prediction' | 'status' | 'durationMs'>,
): TaskResult {
  return {
    taskId: task.id,
    suite: task.suite,
    size: task.size,
    seed: task.seed,
    index: task.index,
    method,
    ...base,
    query: task.query,
    answer: task.answer,
    score: fields.status === 'error' ? 0 : scoreAnswer(task, fields.prediction),
    contextTokens: Math.ceil(contextChars(task.context) / CHARS_PER_TOKEN),
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    unpricedCalls: 0,
    subCalls: 0,
    iterations: 0,
    meta: task.meta,
    finishedAt: new Date().toISOString(),
    ...fields,
  }
}

/** One RLM run in this process: a fresh engine per task, its figures as the eval keeps them. */
async function runLocalRlm(
  task: EvalTask,
  options: EvalOptions,
  onEvent: (event: RlmEvent) => void,
): Promise<RlmTaskOutcome> {
  // A fresh engine per task: the offline strategy model records its requests, and a run's
  // state should never leak into the next task.
  const rlm = createRlm({
    ...options.engine,
    model: options.offline ? createOfflineStrategyModel() : (options.model as string | LanguageModel),
    subModel: options.offline
      ? createOfflineReaderModel()
      : (options.subModel ?? (options.model as string | LanguageModel)),
  })
  const run = await rlm.run({
    query: task.query,
    context: typeof task.context === 'string' ? task.context : { documents: task.context },
    ...(options.signal && { signal: options.signal }),
    onEvent,
  })
  return {
    answer: run.answer,
    status: run.status,
    budget: run.budget,
    error: run.error && { code: run.error.code, message: run.error.message },
    usage: run.usage,
    subCalls: run.subCalls,
    iterations: run.tree.iterations.length,
  }
}

async function runRlmTask(
  task: EvalTask,
  options: EvalOptions,
  base: ResultBase,
  emit: NonNullable<EvalHooks['onEvent']>,
): Promise<TaskResult> {
  const t0 = performance.now()
  const onEvent = (event: RlmEvent): void => emit({ type: 'engine', taskId: task.id, event })
  let run: RlmTaskOutcome
  try {
    run = options.runRlm
      ? await options.runRlm(task, { signal: options.signal, onEvent })
      : await runLocalRlm(task, options, onEvent)
  } catch (error) {
    if (isRlmError(error) && FATAL_CODES.has(error.code)) throw error
    return resultOf(task, 'rlm', base, {
      prediction: '',
      status: 'error',
      error: errorFields(error),
      durationMs: performance.now() - t0,
    })
  }
  if (run.status === 'error' && run.error && FATAL_CODES.has(run.error.code)) {
    throw new RlmError(toErrorCode(run.error.code), run.error.message, { details: { taskId: task.id } })
  }
  return resultOf(task, 'rlm', base, {
    prediction: run.answer,
    status: run.status,
    ...(run.budget && { budget: run.budget }),
    ...(run.error && { error: run.error }),
    inputTokens: run.usage.inputTokens,
    outputTokens: run.usage.outputTokens,
    costUsd: run.usage.costUsd,
    unpricedCalls: run.usage.unpricedCalls,
    subCalls: run.subCalls,
    iterations: run.iterations,
    durationMs: performance.now() - t0,
  })
}

async function directModelFor(options: EvalOptions): Promise<LanguageModel> {
  if (options.offline)
    return createOfflineReaderModel(options.contextWindow ? { contextWindow: options.contextWindow } : {})
  const ref = options.model as string | LanguageModel
  let model =
    typeof ref === 'string' ? await (options.resolveModel ?? ((id: string) => resolveModel(id)))(ref) : ref
  const cache = options.engine.cache
  if (cache !== undefined && cache !== false) {
    const settings = cache === true ? {} : cache
    model = withCache(model, {
      cache: createCache({
        ...(settings.dir !== undefined && { dir: settings.dir }),
        ...(settings.maxEntries !== undefined && { maxEntries: settings.maxEntries }),
      }),
    })
  }
  return model
}

async function runDirectTask(
  task: EvalTask,
  model: LanguageModel,
  options: EvalOptions,
  base: ResultBase,
): Promise<TaskResult> {
  const t0 = performance.now()
  try {
    const outcome = await runDirect(task, model, {
      contextWindow:
        options.contextWindow ??
        options.engine.contextWindow ??
        model.contextWindow ??
        DEFAULT_CONTEXT_WINDOW,
      maxOutputTokens: options.directMaxOutputTokens,
      ...(options.signal && { signal: options.signal }),
    })
    return resultOf(task, 'direct', base, {
      ...outcome,
      status: 'final',
      iterations: 1,
      durationMs: performance.now() - t0,
    })
  } catch (error) {
    if (isRlmError(error) && FATAL_CODES.has(error.code)) throw error
    checkAborted(options.signal)
    return resultOf(task, 'direct', base, {
      prediction: '',
      status: 'error',
      error: errorFields(error),
      durationMs: performance.now() - t0,
    })
  }
}
