// The REPL loop of one node: ask the model, run the code it wrote, feed back what it printed,
// until FINAL or a budget. The same loop runs the root and every child.

import { errorFields, isRlmError, RlmError } from '@rlm/errors'
import { raceAbort } from './abort-race.ts'
import { capAnswer, finalEventFields } from './answer-cap.ts'
import { takeReadyAnswer } from './answer-object.ts'
import { formatCell, joinCells } from './cell-output.ts'
import { extractFinalCalls } from './code-blocks.ts'
import { historyChars, maybeCompact } from './compaction.ts'
import { assertFitsWindow } from './context-window.ts'
import { acceptReply, recordIteration } from './iteration-record.ts'
import { callModel, type ModelCallResult } from './model-call.ts'
import { rootModelWindow } from './model-window.ts'
import type { RunOutcome } from './node-outcome.ts'
import type { NodeState } from './node-state.ts'
import { truncateOutput } from './output-truncation.ts'
import { answerNow, lastUsefulOutput, noAnswer } from './partial-answer.ts'
import { NO_CODE_MESSAGE, outputMessage } from './prompt/system-prompt.ts'
import { pythonCorrection, readReplyCode } from './python-habits.ts'
import type { BudgetName, CodeCell } from './result.ts'
import { cellTimeLimit, statusLine } from './status-line.ts'

/** Appends a user message, merging with a trailing user message so roles keep alternating. */
export function pushUser(node: NodeState, content: string): void {
  const last = node.messages[node.messages.length - 1]
  if (last?.role === 'user') last.content = `${last.content}\n\n${content}`
  else node.messages.push({ role: 'user', content })
}

export async function runNodeLoop(node: NodeState, headMessage: string): Promise<RunOutcome> {
  const scope = node.scope
  const cfg = scope.config
  let consecutiveErrors = 0
  for (let i = 1; i <= cfg.maxIterations; i++) {
    const stop = await stopped(node)
    if (stop) return stop
    if (i > 1) await maybeCompact(node, i, headMessage)
    const iterStarted = performance.now()
    scope.emit(node, { type: 'iteration_start', iteration: i })
    const asked = await askModel(node)
    if ('outcome' in asked) return asked.outcome
    const reply = asked.reply
    acceptReply(node, i, reply)

    const exhaustedBefore = scope.budget.spent() !== undefined
    const turn = await runReplyCode(node, i, reply.text)
    // Cancelled by the caller or a parent cell mid-turn: what the guest did after that (a late
    // FINAL included) does not count.
    if (scope.signal?.aborted || (node.signal.aborted && !scope.budget.spent())) {
      node.final = undefined
      return aborted(node)
    }
    // Python is a habit, not a code error: such a turn counts toward maxIterations only.
    if (turn.cells.length === 0 ? !turn.python : turn.cells.every((c) => !c.ok)) consecutiveErrors++
    else if (turn.cells.length > 0) consecutiveErrors = 0
    const final = node.final !== undefined
    recordIteration(node, i, reply, turn, performance.now() - iterStarted, final)

    if (final) return finalOutcome(node, exhaustedBefore)
    pushUser(node, `${statusLine(node, i + 1)}\n${turn.feedback}`)
    if (consecutiveErrors >= cfg.budget.maxErrors)
      return exhaust(node, 'maxErrors', cfg.budget.maxErrors, consecutiveErrors)
  }
  return exhaust(node, 'maxIterations', cfg.maxIterations, cfg.maxIterations)
}

/** The node called FINAL this turn: its capped answer, or a candidate if the budget ran out meanwhile. */
function finalOutcome(node: NodeState, exhaustedBefore: boolean): RunOutcome {
  const scope = node.scope
  const answer = capAnswer(node.final!, scope.config.limits.maxAnswerChars)
  scope.emit(node, { type: 'final', ...finalEventFields(answer) })
  const spent = scope.budget.spent()
  // FINAL under a budget that ran out during this turn is a candidate, not a finished answer.
  if (spent && !exhaustedBefore)
    return { status: 'budget_exhausted', answer, budget: spent.budget, partialFrom: 'final_candidate' }
  return { status: 'final', answer }
}

/** A per-node budget (maxErrors, maxIterations) ran out: reported, then the best partial answer. */
function exhaust(
  node: NodeState,
  budget: 'maxErrors' | 'maxIterations',
  limit: number,
  used: number,
): Promise<RunOutcome> {
  node.scope.emit(node, { type: 'budget_exhausted', budget, limit, used })
  return finishOnBudget(node, budget)
}

/** Why the node must stop before its next turn: its caller, a spent budget, or its scope ending. */
async function stopped(node: NodeState): Promise<RunOutcome | undefined> {
  const scope = node.scope
  if (scope.signal?.aborted) return aborted(node)
  scope.budget.checkWallTime()
  const spent = scope.budget.spent()
  if (spent) return finishOnBudget(node, spent.budget)
  if (node.signal.aborted) return aborted(node)
  return undefined
}

/** One root-model turn over the history, checked against the model's window first. */
async function askModel(node: NodeState): Promise<{ reply: ModelCallResult } | { outcome: RunOutcome }> {
  const scope = node.scope
  const cfg = scope.config
  try {
    scope.budget.assertOpen()
    const window = rootModelWindow(scope)
    await assertFitsWindow(
      node.messages,
      window,
      cfg.maxOutputTokens,
      'root model',
      'the history still does not fit after compaction: lower outputLimit or maxIterations, or use a model with a larger window',
    )
    const chars = historyChars(node.messages)
    const pending = callModel(scope, scope.model, node.messages, {
      maxOutputTokens: cfg.maxOutputTokens,
      temperature: cfg.temperature,
      signal: node.signal,
      window,
      replayKey: { kind: 'node', nodeId: node.id, purpose: 'iteration' },
    })
    // The sandbox boots while the first request is in flight, started just after it so its
    // module loading and worker start never delay that request.
    if (node.startSandbox) setImmediate(() => node.startSandbox?.())
    const reply = await pending
    node.lastInputTokens = reply.usage.inputTokens
    node.lastHistoryChars = chars
    return { reply }
  } catch (cause) {
    const stop = await stopped(node)
    if (stop) return { outcome: stop }
    const error = errorFields(cause)
    scope.emit(node, { type: 'error', code: error.code, message: error.message, fatal: true })
    return {
      outcome: { status: 'error', answer: lastUsefulOutput(node), error },
    }
  }
}

interface TurnCode {
  code: string[]
  cells: CodeCell[]
  /** What the cells printed, cut to outputLimit. */
  output: string
  /** The message the model reads next (without the status line). */
  feedback: string
  /** The reply held Python, answered with a corrective message. */
  python: boolean
}

/** Runs the reply's code blocks in order until one calls FINAL; a reply without code gets a nudge. */
async function runReplyCode(node: NodeState, iteration: number, reply: string): Promise<TurnCode> {
  const scope = node.scope
  const cfg = scope.config
  const { code: blocks, python } = readReplyCode(reply)
  // FINAL(...) lines written as text (the paper's convention) run after the reply's blocks.
  const code = [...blocks, ...extractFinalCalls(reply)]
  const correction = python.length ? pythonCorrection(python) : undefined
  node.final = undefined
  if (code.length === 0) {
    const feedback = correction ?? NO_CODE_MESSAGE
    scope.emit(node, { type: 'notice', iteration, message: feedback })
    return { code, cells: [], output: '', feedback, python: correction !== undefined }
  }
  const cells: CodeCell[] = []
  for (const [index, source] of code.entries()) {
    node.runningCell = { iteration, cell: index }
    const cell = await runCell(node, source)
    node.runningCell = undefined
    await takeReadyAnswer(node)
    cells.push(cell)
    scope.emit(node, { type: 'code_end', iteration, cell: index, ...cell })
    if (node.final !== undefined || node.signal.aborted) break
  }
  const output = truncateOutput(joinCells(cells.map((c) => c.output)), cfg.outputLimit)
  let feedback = outputMessage(iteration, cfg.maxIterations, output)
  if (correction !== undefined) {
    feedback = `${feedback}\n\n${correction}`
    scope.emit(node, { type: 'notice', iteration, message: correction })
  }
  return { code, cells, output, feedback, python: correction !== undefined }
}

/**
 * Runs one cell in its own cancellation scope: when the cell ends, for whatever reason, every
 * host call it started (sub-calls, children, searches) is cancelled. The node's scope ending
 * (caller abort, wall time, parent cell) ends the cell at once.
 */
async function runCell(node: NodeState, source: string): Promise<CodeCell> {
  const started = performance.now()
  const cell = new AbortController()
  node.cellSignal = AbortSignal.any([node.signal, cell.signal])
  try {
    node.startSandbox?.()
    const sandbox = await node.sandbox!
    const run = sandbox.run(source, { timeoutMs: cellTimeLimit(node) })
    const r = await raceAbort(run, node.signal, () => cancelledCell(node.signal))
    const output = formatCell(r)
    const durationMs = performance.now() - started
    return r.ok
      ? { code: source, output, ok: true, durationMs }
      : { code: source, output, ok: false, error: r.error, durationMs }
  } catch (cause) {
    // The sandbox promises never to reject for guest behaviour; this is a host-side failure.
    const error = isRlmError(cause) ? { code: cause.code, message: cause.message } : errorFields(cause)
    return {
      code: source,
      output: `Error ${error.code}: ${error.message}`,
      ok: false,
      error,
      durationMs: performance.now() - started,
    }
  } finally {
    cell.abort(new RlmError('E_CANCELLED', 'The cell that made this call ended before the call finished.'))
    node.cellSignal = node.signal
  }
}

function cancelledCell(signal: AbortSignal): {
  ok: false
  output: string
  error: { code: string; message: string }
} {
  const error = errorFields(signal.reason)
  return {
    ok: false,
    output: '',
    error: isRlmError(signal.reason) ? error : { code: 'E_ABORTED', message: error.message },
  }
}

/** Ends a node on a budget with the best partial answer it can still give. */
async function finishOnBudget(node: NodeState, budget: BudgetName): Promise<RunOutcome> {
  const scope = node.scope
  if (scope.signal?.aborted) return aborted(node)
  // The root always gets its last "answer now" call; a child only when the run's budget is open,
  // so a spent run does not fan out into one more call per live child.
  const runSpent = scope.budget.spent() !== undefined
  if (node.depth === 0 || !runSpent) {
    const text = await answerNow(node)
    if (text !== undefined)
      return { status: 'budget_exhausted', answer: text, budget, partialFrom: 'answer_now' }
  }
  return {
    status: 'budget_exhausted',
    answer: noAnswer(node, `the run stopped at its ${budget} budget before the model gave one`),
    budget,
    partialFrom: 'last_output',
  }
}

function aborted(node: NodeState): RunOutcome {
  const caller = node.scope.signal
  const reason: unknown = caller?.aborted ? caller.reason : node.signal.reason
  const error = isRlmError(reason)
    ? errorFields(reason)
    : { code: 'E_ABORTED', message: 'The run was cancelled by its caller.' }
  return { status: 'error', answer: lastUsefulOutput(node), error }
}
