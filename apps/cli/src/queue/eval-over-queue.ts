// `rlm eval --queue`: each RLM task of the eval becomes a job on the queue, run by whichever
// worker takes it; the figures the eval keeps come back from the job's result and its events.
// An interrupted eval cancels the jobs it is waiting for (the results file still resumes it).

import type { RlmEvent, RunEndEvent } from '@rlm/engine'
import { RlmError, toErrorCode } from '@rlm/errors'
import type { RlmTaskOutcome, RlmTaskRunner } from '@rlm/evals'
import type { JobInfo, RunJobConfig, RunJobEvent, RunQueue } from '@rlm/queue'

/** Codes that would fail every task alike: they stop the eval (as in a local eval). */
const FATAL = new Set(['E_CONFIG', 'E_PROVIDER_AUTH', 'E_ABORTED'])

/** What a job's events tell that its result does not: the last attempt's run_end and root iterations. */
class AttemptFacts {
  attempt = 0
  iterations = 0
  runEnd: RunEndEvent | undefined

  onEvent(e: RunJobEvent, forward: (event: RlmEvent) => void): void {
    if (e.type !== 'run') return
    if (e.attempt !== this.attempt) {
      // A replayed attempt reports its run again from the start.
      this.attempt = e.attempt
      this.iterations = 0
      this.runEnd = undefined
    }
    const event = e.event
    if (event.type === 'iteration_start' && event.nodeId === '0') this.iterations++
    // An event over the stream's size cap arrives as its type and `truncated: true` only.
    if (event.type === 'run_end' && !('truncated' in event)) this.runEnd = event
    forward(e.event)
  }
}

function outcomeOf(info: JobInfo, facts: AttemptFacts): RlmTaskOutcome {
  if (info.state === 'cancelled')
    throw new RlmError('E_ABORTED', `Job ${info.id} was cancelled; rerun the eval to resume it.`)
  if (info.state !== 'completed' || !info.result) {
    const error = info.error ?? { code: 'E_INTERNAL', message: `job ${info.id} ended without a result` }
    if (FATAL.has(error.code))
      throw new RlmError(toErrorCode(error.code), error.message, { details: { jobId: info.id } })
    const usage = { inputTokens: 0, outputTokens: 0, costUsd: 0, unpricedCalls: 0 }
    return { answer: '', status: 'error', error, usage, subCalls: 0, iterations: facts.iterations }
  }
  const end = facts.runEnd
  const usage = info.result.usage as { costUsd?: number; unpricedCalls?: number }
  return {
    answer: info.result.answer,
    status: info.result.status,
    budget: end?.budget,
    error: end?.error,
    usage: {
      inputTokens: info.result.usage.inputTokens,
      outputTokens: info.result.usage.outputTokens,
      costUsd: usage.costUsd ?? 0,
      unpricedCalls: usage.unpricedCalls ?? 0,
    },
    subCalls: end?.subCalls ?? 0,
    iterations: facts.iterations,
  }
}

/** The eval's RLM runner over the queue: one job per task with this run config. */
export function queueTaskRunner(queue: RunQueue, config: RunJobConfig): RlmTaskRunner {
  return async (task, { signal, onEvent }) => {
    if (typeof task.context !== 'string') {
      throw new RlmError(
        'E_CONFIG',
        `rlm eval --queue runs tasks whose context is one text (s-niah, oolong); ${task.suite} tasks hold named documents, which a queued job cannot carry yet: run that suite without --queue.`,
      )
    }
    const { id } = await queue.submit({
      query: task.query,
      context: { kind: 'inline', text: task.context },
      config,
    })
    const facts = new AttemptFacts()
    try {
      const info = await queue.wait(id, {
        ...(signal && { signal }),
        onEvent: (e) => facts.onEvent(e, onEvent),
      })
      return outcomeOf(info, facts)
    } catch (error) {
      // The eval stopped: the job it no longer waits for should not go on billing.
      if (signal?.aborted) await queue.cancel(id).catch(() => false)
      throw error
    }
  }
}
