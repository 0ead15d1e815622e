// Folds a trace's events into the compact model the viewer page renders: one entry per run, each
// with its recursion nodes, their iterations, sub-calls and context reads. Long texts are cut
// here so a trace of 10,000 sub-calls stays a page a browser opens quickly.

import type { RlmEvent, RunUsage } from '@rlm/engine'

const TEXT_LIMIT = 6000
const PROMPT_LIMIT = 3000

export interface ViewUsage {
  inputTokens: number
  outputTokens: number
  costUsd: number
  calls: number
  unpricedCalls: number
}

export interface ViewCell {
  code: string
  output: string
  ok: boolean
  error?: { code: string; message: string }
  durationMs: number
}

export interface ViewIteration {
  n: number
  reply: string
  cells: ViewCell[]
  durationMs: number
  usage: ViewUsage
  final: boolean
  subCalls: number
}

export interface ViewSubCall {
  id: string
  iteration: number
  prompt: string
  promptChars: number
  answer: string
  error?: { code: string; message: string }
  usage: ViewUsage
  durationMs: number
  cached: boolean
  done: boolean
}

export interface ViewAccess {
  kind: string
  start?: number
  end?: number
  pattern?: string
  results?: number
}

export interface ViewNode {
  id: string
  parentId: string | null
  depth: number
  query: string
  status: string
  answer: string
  budget?: string
  durationMs: number
  usage: ViewUsage
  iterations: ViewIteration[]
  subCalls: ViewSubCall[]
  accesses: ViewAccess[]
  events: Array<{ kind: string; text: string }>
  children: string[]
}

export interface ViewRun {
  runId: string
  query: string
  model: string
  subModel: string
  promptVersion: string
  startedAt: number
  context: { length: number; documents: number }
  settings: Record<string, unknown>
  status: string
  answer: string
  error?: { code: string; message: string }
  budget?: string
  usage: ViewUsage
  durationMs: number
  subCalls: number
  maxDepthReached: number
  complete: boolean
  nodes: ViewNode[]
}

export interface ViewData {
  title: string
  runs: ViewRun[]
  badLines: number
}

const cut = (s: string, n: number): string =>
  s.length > n ? `${s.slice(0, n)}\n… [${s.length - n} more characters in the trace]` : s

function usageOf(u: Partial<RunUsage> | undefined): ViewUsage {
  return {
    inputTokens: u?.inputTokens ?? 0,
    outputTokens: u?.outputTokens ?? 0,
    costUsd: u?.costUsd ?? 0,
    calls: u?.calls ?? 0,
    unpricedCalls: u?.unpricedCalls ?? 0,
  }
}

function add(a: ViewUsage, b: ViewUsage): void {
  a.inputTokens += b.inputTokens
  a.outputTokens += b.outputTokens
  a.costUsd += b.costUsd
  a.calls += b.calls
  a.unpricedCalls += b.unpricedCalls
}

function newNode(id: string, parentId: string | null, depth: number, query: string): ViewNode {
  return {
    id,
    parentId,
    depth,
    query,
    status: 'running',
    answer: '',
    durationMs: 0,
    usage: usageOf(undefined),
    iterations: [],
    subCalls: [],
    accesses: [],
    events: [],
    children: [],
  }
}

export function buildViewData(events: readonly RlmEvent[], title = 'rlm trace', badLines = 0): ViewData {
  const runs = new Map<
    string,
    {
      run: ViewRun
      nodes: Map<string, ViewNode>
      calls: Map<string, ViewSubCall>
      first: number
      last: number
    }
  >()
  const stateOf = (e: RlmEvent) => {
    let s = runs.get(e.runId)
    if (!s) {
      const run: ViewRun = {
        runId: e.runId,
        query: '',
        model: '',
        subModel: '',
        promptVersion: '',
        startedAt: e.timestamp,
        context: { length: 0, documents: 0 },
        settings: {},
        status: 'incomplete',
        answer: '',
        usage: usageOf(undefined),
        durationMs: 0,
        subCalls: 0,
        maxDepthReached: 1,
        complete: false,
        nodes: [],
      }
      s = { run, nodes: new Map(), calls: new Map(), first: e.timestamp, last: e.timestamp }
      runs.set(e.runId, s)
    }
    s.last = Math.max(s.last, e.timestamp)
    return s
  }
  for (const e of events) {
    const s = stateOf(e)
    const node = (id: string, depth: number): ViewNode => {
      let n = s.nodes.get(id)
      if (!n) {
        const parent = id.includes('.') ? id.slice(0, id.lastIndexOf('.')) : null
        n = newNode(id, parent, depth, id === '0' ? s.run.query : '')
        s.nodes.set(id, n)
        if (parent) s.nodes.get(parent)?.children.push(id)
      }
      return n
    }
    const n = node(e.nodeId, e.depth)
    const current = (): ViewIteration | undefined => n.iterations[n.iterations.length - 1]
    switch (e.type) {
      case 'run_start':
        Object.assign(s.run, {
          query: e.query,
          model: e.model,
          subModel: e.subModel,
          promptVersion: e.promptVersion,
          startedAt: e.timestamp,
          context: { length: e.context.length, documents: e.context.documents },
          settings: e.settings,
        })
        n.query = e.query
        break
      case 'iteration_start':
        n.iterations.push({
          n: e.iteration,
          reply: '',
          cells: [],
          durationMs: 0,
          usage: usageOf(undefined),
          final: false,
          subCalls: 0,
        })
        break
      case 'model_reply': {
        const u = usageOf(e.usage)
        add(n.usage, u)
        if (e.purpose === 'iteration') {
          const it = current()
          if (it) it.reply = cut(e.text, TEXT_LIMIT)
        } else
          n.events.push({
            kind: e.purpose === 'answer_now' ? 'answer now' : 'compaction',
            text: cut(e.text, TEXT_LIMIT),
          })
        break
      }
      case 'code_end':
        current()?.cells.push({
          code: cut(e.code, TEXT_LIMIT),
          output: cut(e.output, TEXT_LIMIT),
          ok: e.ok,
          ...(e.error && { error: e.error }),
          durationMs: e.durationMs,
        })
        break
      case 'iteration_end': {
        const it = current()
        if (it) {
          it.durationMs = e.durationMs
          it.usage = usageOf(e.usage)
          it.final = e.final
          if (!it.reply) it.reply = cut(e.reply, TEXT_LIMIT)
        }
        break
      }
      case 'subcall_start': {
        const it = current()
        if (it) it.subCalls++
        const call: ViewSubCall = {
          id: e.callId,
          iteration: it?.n ?? 0,
          prompt: cut(e.prompt, PROMPT_LIMIT),
          promptChars: e.promptChars,
          answer: '',
          usage: usageOf(undefined),
          durationMs: 0,
          cached: false,
          done: false,
        }
        n.subCalls.push(call)
        s.calls.set(`${e.nodeId}/${e.callId}`, call)
        break
      }
      case 'subcall_end': {
        const call = s.calls.get(`${e.nodeId}/${e.callId}`)
        const u = usageOf(e.usage)
        add(n.usage, u)
        if (call) {
          call.answer = cut(e.answer, PROMPT_LIMIT)
          call.usage = u
          call.durationMs = e.durationMs
          call.cached = e.cached
          call.done = true
          if (e.error) call.error = e.error
          s.calls.delete(`${e.nodeId}/${e.callId}`)
        }
        break
      }
      case 'child_start':
        n.query = e.query
        break
      case 'child_end':
        n.status = e.status
        n.answer = cut(e.answer, TEXT_LIMIT)
        n.durationMs = e.durationMs
        if (e.budget) n.budget = e.budget
        break
      case 'context_access': {
        const a = e.access
        n.accesses.push({
          kind: a.kind,
          ...(a.start !== undefined && { start: a.start }),
          ...(a.end !== undefined && { end: a.end }),
          ...(a.pattern !== undefined && { pattern: a.pattern }),
          ...(a.results !== undefined && { results: a.results }),
        })
        break
      }
      case 'final':
        n.events.push({ kind: 'FINAL', text: cut(e.answer, TEXT_LIMIT) })
        break
      case 'compaction':
        n.events.push({
          kind: 'compaction',
          text: `${e.tokensBefore} → ${e.tokensAfter} tokens: ${cut(e.summary, TEXT_LIMIT)}`,
        })
        break
      case 'budget_exhausted':
        n.events.push({ kind: 'budget', text: `${e.budget} exhausted: ${e.used} of ${e.limit}` })
        break
      case 'error':
        n.events.push({ kind: e.fatal ? 'fatal error' : 'error', text: `${e.code}: ${e.message}` })
        break
      case 'notice':
        n.events.push({ kind: 'notice', text: e.message })
        break
      case 'run_end':
        Object.assign(s.run, {
          status: e.status,
          answer: e.answer,
          usage: usageOf(e.usage),
          durationMs: e.durationMs,
          subCalls: e.subCalls,
          maxDepthReached: e.maxDepthReached,
          complete: true,
          ...(e.error && { error: e.error }),
          ...(e.budget && { budget: e.budget }),
        })
        n.status = e.status
        n.answer = cut(e.answer, TEXT_LIMIT)
        n.durationMs = e.durationMs
        if (e.budget) n.budget = e.budget
        break
    }
  }
  const out: ViewRun[] = []
  for (const s of runs.values()) {
    s.run.nodes = [...s.nodes.values()]
    if (!s.run.complete) {
      // A trace cut short (crash, second Ctrl-C): totals from what was recorded.
      s.run.durationMs = s.last - s.first
      for (const n of s.run.nodes) add(s.run.usage, n.usage)
      s.run.subCalls = s.run.nodes.reduce((sum, n) => sum + n.subCalls.length, 0)
      s.run.maxDepthReached = Math.max(...s.run.nodes.map((n) => n.depth)) + 1
    }
    out.push(s.run)
  }
  return { title, runs: out, badLines }
}
