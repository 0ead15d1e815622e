// The REPL loop of one node: ask the model, run the code it wrote, feed back what it printed,
// until FINAL or a budget. The same loop runs the root and every child.

import { isRlmError } from '@rlm/errors'
import { takeReadyAnswer } from './answer-object.ts'
import { formatCell, joinCells } from './cell-output.ts'
import { extractFinalCalls } from './code-blocks.ts'
import { historyChars, maybeCompact } from './compaction.ts'
import { callModel } from './model-call.ts'
import type { RunOutcome } from './node-outcome.ts'
import type { NodeState } from './node-state.ts'
import { truncateOutput } from './output-truncation.ts'
import { answerNow, lastUsefulOutput } from './partial-answer.ts'
import { NO_CODE_MESSAGE, outputMessage } from './prompt/system-prompt.ts'
import { pythonCorrection, readReplyCode } from './python-habits.ts'
import type { BudgetName, CodeCell } from './result.ts'
import { addUsage } from './result.ts'
import { toError } from './sub-calls.ts'

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
    if (scope.signal?.aborted) return aborted(node)
    scope.budget.checkWallTime()
    const spentBefore = scope.budget.spent()
    if (spentBefore) return finishOnBudget(node, spentBefore.budget)
    if (i > 1) await maybeCompact(node, i, headMessage)
    const iterStarted = performance.now()
    scope.emit(node, { type: 'iteration_start', iteration: i })
    let reply: Awaited<ReturnType<typeof callModel>>
    try {
      scope.budget.assertOpen()
      const chars = historyChars(node.messages)
      const pending = callModel(scope, scope.model, node.messages, {
        maxOutputTokens: cfg.maxOutputTokens,
        temperature: cfg.temperature,
        replayKey: { kind: 'node', nodeId: node.id, purpose: 'iteration' },
      })
      // The sandbox boots while the first request is in flight, started just after it so its
      // module loading and worker start never delay that request.
      if (node.startSandbox) setImmediate(() => node.startSandbox?.())
      reply = await pending
      node.lastInputTokens = reply.usage.inputTokens
      node.lastHistoryChars = chars
    } catch (cause) {
      if (scope.signal?.aborted) return aborted(node)
      const spent = scope.budget.spent()
      if (spent) return finishOnBudget(node, spent.budget)
      const error = toError(cause)
      scope.emit(node, { type: 'error', code: error.code, message: error.message, fatal: true })
      return { status: 'error', answer: lastUsefulOutput(node), error }
    }
    addUsage(node.record.usage, reply.usage)
    scope.emit(node, {
      type: 'model_reply',
      purpose: 'iteration',
      iteration: i,
      text: reply.text,
      usage: reply.usage,
      durationMs: reply.durationMs,
      cached: reply.cached,
    })
    node.messages.push({ role: 'assistant', content: reply.text })

    const { code: blocks, python } = readReplyCode(reply.text)
    // FINAL(...) lines written as text (the paper's convention) run after the reply's blocks.
    const code = [...blocks, ...extractFinalCalls(reply.text)]
    const correction = python.length ? pythonCorrection(python) : undefined
    const cells: CodeCell[] = []
    const exhaustedBefore = scope.budget.spent() !== undefined
    node.final = undefined
    let feedback: string
    if (code.length === 0) {
      // Python is a habit, not a code error: the turn counts toward maxIterations only.
      if (correction === undefined) consecutiveErrors++
      feedback = correction ?? NO_CODE_MESSAGE
      scope.emit(node, { type: 'notice', iteration: i, message: feedback })
    } else {
      const outputs: string[] = []
      for (const [index, source] of code.entries()) {
        node.runningCell = { iteration: i, cell: index }
        const cell = await runCell(node, source)
        node.runningCell = undefined
        await takeReadyAnswer(node)
        cells.push(cell)
        outputs.push(cell.output)
        scope.emit(node, { type: 'code_end', iteration: i, cell: index, ...cell })
        if (node.final !== undefined) break
      }
      consecutiveErrors = cells.every((c) => !c.ok) ? consecutiveErrors + 1 : 0
      feedback = outputMessage(i, cfg.maxIterations, truncateOutput(joinCells(outputs), cfg.outputLimit))
      if (correction !== undefined) {
        feedback = `${feedback}\n\n${correction}`
        scope.emit(node, { type: 'notice', iteration: i, message: correction })
      }
    }
    const output = cells.length ? truncateOutput(joinCells(cells.map((c) => c.output)), cfg.outputLimit) : ''
    const final = node.final !== undefined
    const durationMs = performance.now() - iterStarted
    node.record.iterations.push({
      index: i,
      reply: reply.text,
      code,
      cells,
      output,
      durationMs,
      usage: reply.usage,
      final,
    })
    scope.emit(node, {
      type: 'iteration_end',
      iteration: i,
      reply: reply.text,
      code,
      output,
      final,
      durationMs,
      usage: reply.usage,
    })

    if (final) {
      const answer = node.final!
      scope.emit(node, { type: 'final', answer })
      const spent = scope.budget.spent()
      // FINAL under a budget that ran out during this turn is a candidate, not a finished answer.
      if (spent && !exhaustedBefore)
        return { status: 'budget_exhausted', answer, budget: spent.budget, partialFrom: 'final_candidate' }
      return { status: 'final', answer }
    }
    pushUser(node, feedback)
    if (consecutiveErrors >= cfg.budget.maxErrors) {
      scope.emit(node, {
        type: 'budget_exhausted',
        budget: 'maxErrors',
        limit: cfg.budget.maxErrors,
        used: consecutiveErrors,
      })
      return finishOnBudget(node, 'maxErrors')
    }
  }
  scope.emit(node, {
    type: 'budget_exhausted',
    budget: 'maxIterations',
    limit: cfg.maxIterations,
    used: cfg.maxIterations,
  })
  return finishOnBudget(node, 'maxIterations')
}

async function runCell(node: NodeState, source: string): Promise<CodeCell> {
  const started = performance.now()
  try {
    node.startSandbox?.()
    const sandbox = await node.sandbox!
    const r = await sandbox.run(source)
    const output = formatCell(r)
    const durationMs = performance.now() - started
    return r.ok
      ? { code: source, output, ok: true, durationMs }
      : { code: source, output, ok: false, error: r.error, durationMs }
  } catch (cause) {
    // The sandbox promises never to reject for guest behaviour; this is a host-side failure.
    const error = isRlmError(cause) ? { code: cause.code, message: cause.message } : toError(cause)
    return {
      code: source,
      output: `Error ${error.code}: ${error.message}`,
      ok: false,
      error,
      durationMs: performance.now() - started,
    }
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
  return { status: 'budget_exhausted', answer: lastUsefulOutput(node), budget, partialFrom: 'last_output' }
}

function aborted(node: NodeState): RunOutcome {
  const reason: unknown = node.scope.signal?.reason
  const error = isRlmError(reason)
    ? toError(reason)
    : { code: 'E_ABORTED', message: 'The run was cancelled by its caller.' }
  return { status: 'error', answer: lastUsefulOutput(node), error }
}
