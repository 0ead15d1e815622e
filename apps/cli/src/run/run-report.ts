// What `rlm run` and `rlm demo` say about a finished run on stderr: the summary line (counts that
// agree with the tree, plurals, cached calls marked) and, for a run that did not answer, the one
// error line — which partial answer was printed, and which flag or key to change.

import type { BudgetExhaustedEvent, RlmEvent, RlmResult } from '@rlm/engine'
import { EXIT, type ExitCode } from '@rlm/errors'
import { type ErrorReport, reportFor } from '../error-report.ts'
import { formatCount, formatMs, formatUsd, plural } from '../progress/figures.ts'

/** What the result alone does not say, gathered from the events. */
export interface RunFacts {
  /** The root's budget_exhausted event: which limit and how much was used. */
  budget?: BudgetExhaustedEvent
  /** Model calls (turns and sub-calls) answered from the response cache. */
  cachedCalls: number
  /** Iterations started in every node, as the viewer counts them (one that failed included). */
  iterationsStarted: number
}

export function collectFacts(): { facts: RunFacts; onEvent: (e: RlmEvent) => void } {
  const facts: RunFacts = { cachedCalls: 0, iterationsStarted: 0 }
  return {
    facts,
    onEvent(e) {
      if (e.type === 'budget_exhausted' && e.depth === 0) facts.budget = e
      if (e.type === 'iteration_start') facts.iterationsStarted++
      if ((e.type === 'model_reply' || e.type === 'subcall_end') && e.cached) facts.cachedCalls++
    },
  }
}

type Tree = RlmResult['tree']

/** Totals over the whole recursion tree, so the summary agrees with the tree printed below it. */
function totals(node: Tree): { iterations: number; subCalls: number; children: number } {
  const sum = {
    iterations: node.iterations.length,
    subCalls: node.subCalls.length,
    children: node.children.length,
  }
  for (const child of node.children) {
    const c = totals(child)
    sum.iterations += c.iterations
    sum.subCalls += c.subCalls
    sum.children += c.children
  }
  return sum
}

export function summaryLine(r: RlmResult, facts?: RunFacts): string {
  const u = r.usage
  const t = totals(r.tree)
  const parts = [
    `${r.status}`,
    plural(Math.max(t.iterations, facts?.iterationsStarted ?? 0), 'iteration'),
    plural(t.subCalls, 'sub-call'),
    ...(t.children > 0 ? [plural(t.children, 'child RLM')] : []),
    `depth ${r.maxDepthReached}`,
    `${formatCount(u.inputTokens)} in / ${formatCount(u.outputTokens)} out tokens`,
    formatUsd(u.costUsd, u.unpricedCalls),
  ]
  if (facts && facts.cachedCalls > 0)
    parts.push(`${facts.cachedCalls} of ${plural(u.calls, 'call')} from the cache`)
  parts.push(formatMs(r.durationMs))
  return parts.join(' · ')
}

const BUDGET_FLAGS: Record<string, string> = {
  maxIterations: 'raise --max-iterations (RLM_MAX_ITERATIONS, "maxIterations")',
  maxTokens: 'raise --budget-tokens (RLM_BUDGET_TOKENS, "budgetTokens")',
  maxCostUsd: 'raise --budget-usd (RLM_BUDGET_USD, "budgetUsd")',
  maxWallTimeMs: 'raise --timeout (RLM_TIMEOUT, "timeout")',
  maxSubCalls:
    "ask for fewer sub-calls (split the task, or batch prompts): the limit is the engine's budget.maxSubCalls",
  maxErrors: 'see what kept failing with --verbose or in the trace (`rlm view`)',
}

const PARTIAL_FROM: Record<string, string> = {
  final_candidate: 'the last FINAL candidate',
  answer_now: 'the model\'s reply to a last "answer now" request',
  last_output: 'no answer from the model, only why it stopped and the last code output',
}

/** The partial answer a stopped run printed, in words. */
function partialText(result: RlmResult): string {
  if (result.answer === '') return 'no partial answer was printed (there was none yet)'
  const from = result.partialFrom ? PARTIAL_FROM[result.partialFrom] : undefined
  return `printed the partial answer: ${from ?? 'what the run had'}`
}

/** The error line for a run that did not answer; undefined when it did. */
export function failureOf(result: RlmResult, exitCode: ExitCode, facts: RunFacts): ErrorReport | undefined {
  if (exitCode === EXIT.ok) return undefined
  if (exitCode === EXIT.interrupted) {
    return reportFor(
      'E_INTERRUPTED',
      `The run was interrupted; ${partialText(result)}; the trace is kept. Run it again to finish`,
    )
  }
  if (result.status === 'budget_exhausted') {
    const name = result.budget ?? facts.budget?.budget ?? 'run'
    const used = facts.budget
      ? ` (${formatCount(facts.budget.used)} of ${formatCount(facts.budget.limit)})`
      : ''
    const fix =
      BUDGET_FLAGS[name] ?? 'raise the budget (--budget-tokens, --budget-usd, --timeout, --max-iterations)'
    return reportFor('E_BUDGET', `The ${name} budget ran out${used}; ${partialText(result)}. To fix: ${fix}`)
  }
  const e = result.error ?? { code: 'E_INTERNAL', message: 'the run failed without an error message' }
  return reportFor(e.code, e.message)
}
