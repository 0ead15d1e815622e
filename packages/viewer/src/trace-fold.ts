// Folds validated trace events (and the trace's problems) into the view model, one event at a time,
// within fixed bounds: texts cut, a text budget for the whole page, a node cap per run, an item cap,
// the settings object cut to a few levels. Every function here uses only its arguments and the
// other functions of this file (no imports, no module state, every export a function), so the
// page's live mode can run this same code in the browser (see fold-source.ts). It is one file of
// more than 300 lines for that reason: the browser gets exactly these functions.

import type { TraceEvent, TraceIssue } from '@rlm/engine'
import type {
  ViewData,
  ViewIssue,
  ViewIteration,
  ViewNode,
  ViewNote,
  ViewRun,
  ViewSubCall,
  ViewUsage,
} from './view-model.ts'

export interface FoldLimits {
  /** Characters kept of a reply, code, output, query or answer. */
  textChars: number
  /** Characters kept of a sub-call prompt or answer. */
  promptChars: number
  /** Characters of text the whole view may hold; past it each text keeps `spentTextChars`. */
  totalTextChars: number
  spentTextChars: number
  /** Nodes shown per run; events of later nodes are counted, not shown. */
  maxNodes: number
  /** Iterations, cells, sub-calls, context reads and notes the whole view may hold. */
  maxItems: number
  /** Issues listed (all are counted). */
  maxIssues: number
  /** Levels and entries of a run's settings object shown. */
  settingsDepth: number
  settingsEntries: number
}

interface RunState {
  run: ViewRun
  nodes: Map<string, ViewNode>
  calls: Map<string, ViewSubCall>
  hidden: Set<string>
  first: number
  last: number
}

export interface FoldState {
  limits: FoldLimits
  runs: Map<string, RunState>
  issues: ViewIssue[]
  issueCount: number
  textLeft: number
  itemsLeft: number
  itemsDropped: number
  settingsCut: number
}

type EventOf<T extends TraceEvent['type']> = Extract<TraceEvent, { type: T }>

export function createFold(limits: FoldLimits): FoldState {
  return {
    limits,
    runs: new Map(),
    issues: [],
    issueCount: 0,
    textLeft: limits.totalTextChars,
    itemsLeft: limits.maxItems,
    itemsDropped: 0,
    settingsCut: 0,
  }
}

/** A text cut to `max` characters, or to the spent-budget size once the page's text budget is used. */
export function cutText(state: FoldState, s: string, max: number): string {
  const n = state.textLeft > 0 ? max : state.limits.spentTextChars
  const out = s.length > n ? `${s.slice(0, n)}\n… [${s.length - n} more characters in the trace]` : s
  state.textLeft -= out.length
  return out
}

/** Appends to a list while the page's item budget lasts; counts what it drops. */
export function pushItem<T>(state: FoldState, list: T[], item: T): void {
  if (state.itemsLeft <= 0) {
    state.itemsDropped++
    return
  }
  state.itemsLeft--
  list.push(item)
}

export function emptyUsage(): ViewUsage {
  return { inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0, unpricedCalls: 0 }
}

export function usageOf(u: ViewUsage): ViewUsage {
  return {
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    costUsd: u.costUsd,
    calls: u.calls,
    unpricedCalls: u.unpricedCalls,
  }
}

export function addUsage(a: ViewUsage, b: ViewUsage): void {
  a.inputTokens += b.inputTokens
  a.outputTokens += b.outputTokens
  a.costUsd += b.costUsd
  a.calls += b.calls
  a.unpricedCalls += b.unpricedCalls
}

/** A copy of a JSON value cut to `depth` levels and `budget.left` entries (never recurses deeper). */
export function boundedValue(
  state: FoldState,
  value: unknown,
  depth: number,
  budget: { left: number },
): unknown {
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 200)}…` : value
  if (typeof value !== 'object' || value === null) return value
  if (depth <= 0) {
    state.settingsCut++
    return '[nested deeper: not shown]'
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value)
  const out: Record<string, unknown> = {}
  for (const [k, v] of entries) {
    if (budget.left-- <= 0) {
      state.settingsCut++
      out['…'] = `${entries.length} entries: not all shown`
      break
    }
    out[k] = boundedValue(state, v, depth - 1, budget)
  }
  return Array.isArray(value) ? Object.values(out) : out
}

export function newRun(runId: string, timestamp: number): ViewRun {
  return {
    runId,
    query: '',
    model: '',
    subModel: '',
    promptVersion: '',
    startedAt: timestamp,
    context: { length: 0, documents: 0 },
    settings: {},
    status: 'incomplete',
    answer: '',
    usage: emptyUsage(),
    durationMs: 0,
    subCalls: 0,
    maxDepthReached: 1,
    complete: false,
    nodes: [],
    roots: [],
    limits: [],
  }
}

/** The run's state, created on first sight; `timestamp` (absent for a problem line) widens its span. */
export function runStateOf(state: FoldState, runId: string, timestamp?: number): RunState {
  let s = state.runs.get(runId)
  if (!s) {
    const run = newRun(runId, timestamp ?? 0)
    s = { run, nodes: new Map(), calls: new Map(), hidden: new Set(), first: Infinity, last: -Infinity }
    state.runs.set(runId, s)
  }
  if (timestamp !== undefined) {
    s.first = Math.min(s.first, timestamp)
    s.last = Math.max(s.last, timestamp)
  }
  return s
}

/** The node's view, created on first sight; undefined once the run's node cap is reached. */
export function nodeOf(state: FoldState, s: RunState, id: string, depth: number): ViewNode | undefined {
  const known = s.nodes.get(id)
  if (known) return known
  if (s.nodes.size >= state.limits.maxNodes) {
    s.hidden.add(id)
    return undefined
  }
  const node: ViewNode = {
    id,
    depth,
    query: id === '0' ? s.run.query : '',
    status: 'running',
    answer: '',
    durationMs: 0,
    usage: emptyUsage(),
    total: emptyUsage(),
    iterations: [],
    subCalls: [],
    accesses: [],
    notes: [],
    children: [],
  }
  s.nodes.set(id, node)
  return node
}

export function addNote(state: FoldState, n: ViewNode, note: ViewNote): void {
  pushItem(state, n.notes, { ...note, text: cutText(state, note.text, state.limits.textChars) })
}

export function foldRunEvent(
  state: FoldState,
  s: RunState,
  n: ViewNode,
  e: EventOf<'run_start' | 'run_end'>,
): void {
  const text = state.limits.textChars
  if (e.type === 'run_start') {
    Object.assign(s.run, {
      query: cutText(state, e.query, text),
      model: e.model,
      subModel: e.subModel,
      promptVersion: e.promptVersion,
      startedAt: e.timestamp,
      context: { length: e.context.length, documents: e.context.documents },
      settings: boundedValue(state, e.settings, state.limits.settingsDepth, {
        left: state.limits.settingsEntries,
      }),
    })
    n.query = s.run.query
    return
  }
  Object.assign(s.run, {
    status: e.status,
    answer: cutText(state, e.answer, text),
    usage: usageOf(e.usage),
    durationMs: e.durationMs,
    subCalls: e.subCalls,
    maxDepthReached: e.maxDepthReached,
    complete: true,
    ...(e.error && { error: { code: e.error.code, message: cutText(state, e.error.message, text) } }),
    ...(e.budget && { budget: e.budget }),
  })
  n.status = e.status
  n.answer = s.run.answer
  n.durationMs = e.durationMs
  if (e.budget) n.budget = e.budget
}

export function foldIterationEvent(
  state: FoldState,
  n: ViewNode,
  e: EventOf<'iteration_start' | 'model_reply' | 'code_end' | 'iteration_end'>,
): void {
  const text = state.limits.textChars
  const it: ViewIteration | undefined = n.iterations[n.iterations.length - 1]
  if (e.type === 'iteration_start') {
    const next = {
      n: e.iteration,
      reply: '',
      cells: [],
      durationMs: 0,
      usage: emptyUsage(),
      final: false,
      subCalls: 0,
    }
    pushItem(state, n.iterations, next)
  } else if (e.type === 'model_reply') {
    addUsage(n.usage, e.usage)
    if (e.purpose === 'iteration') {
      if (it) it.reply = cutText(state, e.text, text)
    } else addNote(state, n, { kind: e.purpose === 'answer_now' ? 'answer now' : 'compaction', text: e.text })
  } else if (e.type === 'code_end') {
    if (!it) return
    pushItem(state, it.cells, {
      code: cutText(state, e.code, text),
      output: cutText(state, e.output, text),
      ok: e.ok,
      ...(e.error && { error: { code: e.error.code, message: cutText(state, e.error.message, text) } }),
      durationMs: e.durationMs,
    })
  } else if (it) {
    it.durationMs = e.durationMs
    it.usage = usageOf(e.usage)
    it.final = e.final
    if (!it.reply) it.reply = cutText(state, e.reply, text)
  }
}

export function foldCallEvent(
  state: FoldState,
  s: RunState,
  n: ViewNode,
  e: EventOf<'subcall_start' | 'subcall_end' | 'batch_start' | 'batch_end'>,
): void {
  const max = state.limits.promptChars
  if (e.type === 'subcall_start') {
    const it = n.iterations[n.iterations.length - 1]
    if (it) it.subCalls++
    const call: ViewSubCall = {
      id: e.callId,
      iteration: it?.n ?? 0,
      prompt: cutText(state, e.prompt, max),
      promptChars: e.promptChars,
      answer: '',
      status: 'running',
      usage: emptyUsage(),
      durationMs: 0,
      cached: false,
    }
    pushItem(state, n.subCalls, call)
    s.calls.set(`${e.nodeId}/${e.callId}`, call)
  } else if (e.type === 'subcall_end') {
    addUsage(n.usage, e.usage)
    const call = s.calls.get(`${e.nodeId}/${e.callId}`)
    if (!call) return
    s.calls.delete(`${e.nodeId}/${e.callId}`)
    call.answer = cutText(state, e.answer, max)
    call.usage = usageOf(e.usage)
    call.durationMs = e.durationMs
    call.cached = e.cached
    call.status = e.status ?? (e.error ? 'error' : 'ok')
    if (e.error) call.error = { code: e.error.code, message: cutText(state, e.error.message, max) }
  } else if (e.type === 'batch_end') {
    const parts = `${e.ok} ok, ${e.errors} errors, ${e.cancelled} cancelled, ${e.notStarted} not started`
    addNote(state, n, {
      kind: 'batch',
      text: `${e.fn} of ${e.size}: ${parts} (${Math.round(e.durationMs)} ms)`,
    })
  }
}

export function foldNodeEvent(state: FoldState, n: ViewNode, e: TraceEvent): void {
  const text = state.limits.textChars
  switch (e.type) {
    case 'child_start':
      n.query = cutText(state, e.query, text)
      break
    case 'child_end':
      n.status = e.status
      n.answer = cutText(state, e.answer, text)
      n.durationMs = e.durationMs
      if (e.budget) n.budget = e.budget
      break
    case 'context_access': {
      const { kind, start, end, pattern, results } = e.access
      const p = pattern === undefined ? undefined : cutText(state, pattern, 200)
      pushItem(state, n.accesses, { kind, start, end, pattern: p, results })
      break
    }
    case 'final':
      addNote(state, n, { kind: 'FINAL', text: e.answer })
      break
    case 'compaction':
      addNote(state, n, {
        kind: 'compaction',
        text: `${e.tokensBefore} → ${e.tokensAfter} tokens: ${e.summary}`,
      })
      break
    case 'budget_exhausted':
      addNote(state, n, { kind: 'budget', text: `${e.budget} exhausted: ${e.used} of ${e.limit}` })
      break
    case 'error':
      addNote(state, n, { kind: e.fatal ? 'fatal error' : 'error', text: `${e.code}: ${e.message}` })
      break
    case 'notice':
      addNote(state, n, { kind: 'notice', text: e.message })
      break
    // cell_output (printed while a cell runs) is left out: code_end carries the cell's whole output.
  }
}

export function foldEvent(state: FoldState, e: TraceEvent): void {
  const s = runStateOf(state, e.runId, e.timestamp)
  const n = nodeOf(state, s, e.nodeId, e.depth)
  if (!n) return
  switch (e.type) {
    case 'run_start':
    case 'run_end':
      foldRunEvent(state, s, n, e)
      break
    case 'iteration_start':
    case 'model_reply':
    case 'code_end':
    case 'iteration_end':
      foldIterationEvent(state, n, e)
      break
    case 'subcall_start':
    case 'subcall_end':
    case 'batch_start':
    case 'batch_end':
      foldCallEvent(state, s, n, e)
      break
    default:
      foldNodeEvent(state, n, e)
      break
  }
}

/** Lists a problem of the trace, and shows it under its node when the line said which one. */
export function foldIssue(state: FoldState, issue: TraceIssue): void {
  state.issueCount++
  const shown: ViewIssue = { ...issue, message: cutText(state, issue.message, 400) }
  if (state.issues.length < state.limits.maxIssues) state.issues.push(shown)
  if (issue.runId === undefined || issue.nodeId === undefined) return
  const s = runStateOf(state, issue.runId)
  const n = nodeOf(state, s, issue.nodeId, issue.nodeId.split('.').length - 1)
  const unknown = issue.kind === 'unknown_type'
  if (n)
    addNote(state, n, {
      kind: unknown ? 'unknown event' : 'invalid line',
      text: `line ${issue.line}: ${issue.message}`,
      invalid: !unknown,
    })
}

/** Links each node under its nearest shown ancestor (ids are dotted paths: '0', '0.1', '0.1.2'). */
export function linkTree(s: RunState): void {
  s.run.nodes = [...s.nodes.values()]
  s.run.roots = []
  for (const n of s.run.nodes) n.children = []
  for (const n of s.run.nodes) {
    let parent: ViewNode | undefined
    let id = n.id
    // A hostile id of a million dots is not walked: 64 levels up, then the node is shown at the top.
    for (let step = 0; step < 64 && !parent && id.includes('.'); step++) {
      id = id.slice(0, id.lastIndexOf('.'))
      parent = s.nodes.get(id)
    }
    if (parent) parent.children.push(n.id)
    else if (n.id === '0') s.run.roots.unshift(n.id)
    else s.run.roots.push(n.id)
  }
}

/** Each node's total (own usage plus its subtree's), children before parents, without recursion. */
export function sumTotals(s: RunState): void {
  const order = [...s.run.roots]
  for (let i = 0; i < order.length; i++) order.push(...(s.nodes.get(order[i] as string)?.children ?? []))
  for (let i = order.length - 1; i >= 0; i--) {
    const n = s.nodes.get(order[i] as string)
    if (!n) continue
    n.total = usageOf(n.usage)
    for (const c of n.children) addUsage(n.total, s.nodes.get(c)?.total ?? emptyUsage())
  }
}

/** Totals of a run cut short (a crash, a second Ctrl-C): from what was recorded. */
export function summariseIncomplete(s: RunState): void {
  const run = s.run
  run.durationMs = Number.isFinite(s.last - s.first) ? s.last - s.first : 0
  run.usage = emptyUsage()
  run.subCalls = 0
  let deepest = 0
  for (const n of run.nodes) {
    addUsage(run.usage, n.usage)
    run.subCalls += n.subCalls.length
    deepest = Math.max(deepest, n.depth)
  }
  run.maxDepthReached = deepest + 1
}

/** The view model of everything folded so far (callable again after more events). */
export function viewOf(state: FoldState, title: string): ViewData {
  const runs: ViewRun[] = []
  for (const s of state.runs.values()) {
    linkTree(s)
    sumTotals(s)
    if (!s.run.complete) summariseIncomplete(s)
    s.run.limits = s.hidden.size
      ? [
          `${s.nodes.size + s.hidden.size} nodes in this run: the first ${s.nodes.size} are shown, the events of the other ${s.hidden.size} are left out.`,
        ]
      : []
    runs.push(s.run)
  }
  const limits: string[] = []
  if (state.textLeft <= 0)
    limits.push(
      `The page's text budget (${state.limits.totalTextChars} characters) ran out: later texts keep their first ${state.limits.spentTextChars} characters.`,
    )
  if (state.itemsDropped)
    limits.push(
      `${state.itemsDropped} iterations, cells, sub-calls, reads or notes past the first ${state.limits.maxItems} are left out.`,
    )
  if (state.settingsCut)
    limits.push(
      `Settings nested deeper than ${state.limits.settingsDepth} levels or with more than ${state.limits.settingsEntries} entries are cut.`,
    )
  if (state.issueCount > state.issues.length)
    limits.push(`${state.issueCount} problems in the trace: the first ${state.issues.length} are listed.`)
  return { title, runs, issues: state.issues, issueCount: state.issueCount, limits }
}
