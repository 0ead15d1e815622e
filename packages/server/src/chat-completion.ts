// A finished run as OpenAI's chat completion object, and a run in progress as chat completion
// chunks: progress chunks carry the event in the `rlm` extension field with an empty delta (so
// standard clients see nothing), then the answer as content, then the finish reason and usage.

import type { RlmEvent, RunUsage } from '@rlm/engine'
import type { ManagedRun } from './managed-run.ts'
import { apiUsage } from './run-tree.ts'

export interface ChatUsage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  prompt_tokens_details: { cached_tokens: number }
}

/** The whole tree's usage in OpenAI's names. */
export function chatUsage(u: RunUsage): ChatUsage {
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cachedInputTokens },
  }
}

/** The run behind a completion: how it ended, what it cost, where to look at it. */
export function runExtension(run: ManagedRun): Record<string, unknown> {
  const r = run.result
  return {
    run_id: run.id,
    status: run.status,
    ...(r?.budget && { budget: r.budget }),
    ...(r && {
      usage: apiUsage(r.usage),
      sub_calls: r.subCalls,
      max_depth_reached: r.maxDepthReached,
      duration_ms: Math.round(r.durationMs),
    }),
    view_url: `/v1/runs/${run.id}/view`,
  }
}

const completionId = (run: ManagedRun): string => `chatcmpl-${run.id.slice('run_'.length)}`
const finishReason = (run: ManagedRun): 'stop' | 'length' =>
  run.status === 'budget_exhausted' ? 'length' : 'stop'
const created = (run: ManagedRun): number => Math.floor(run.createdAt / 1000)

/** The completion of a run that ended with an answer (final or budget_exhausted). */
export function completionBody(run: ManagedRun): Record<string, unknown> {
  const r = run.result
  return {
    id: completionId(run),
    object: 'chat.completion',
    created: created(run),
    model: run.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: r?.answer ?? '', refusal: null },
        logprobs: null,
        finish_reason: finishReason(run),
      },
    ],
    usage: r ? chatUsage(r.usage) : null,
    system_fingerprint: null,
    rlm: runExtension(run),
  }
}

function chunk(
  run: ManagedRun,
  delta: Record<string, unknown>,
  finish: 'stop' | 'length' | null,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: completionId(run),
    object: 'chat.completion.chunk',
    created: created(run),
    model: run.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...extra,
  }
}

export const firstChunk = (run: ManagedRun): Record<string, unknown> =>
  chunk(run, { role: 'assistant', content: '' }, null, { rlm: { run_id: run.id } })

export const progressChunk = (run: ManagedRun, event: RlmEvent): Record<string, unknown> =>
  chunk(run, {}, null, { rlm: { event } })

const PIECE_CHARS = 1_000

/** The answer in pieces (never splitting a surrogate pair), the finish chunk, and usage if asked. */
export function answerChunks(run: ManagedRun, includeUsage: boolean): Array<Record<string, unknown>> {
  const answer = run.result?.answer ?? ''
  const out: Array<Record<string, unknown>> = []
  for (let i = 0; i < answer.length; ) {
    let end = Math.min(answer.length, i + PIECE_CHARS)
    const last = answer.charCodeAt(end - 1)
    if (end < answer.length && last >= 0xd800 && last <= 0xdbff) end--
    out.push(chunk(run, { content: answer.slice(i, end) }, null))
    i = end
  }
  out.push(chunk(run, {}, finishReason(run), { rlm: runExtension(run) }))
  if (includeUsage && run.result) {
    out.push({ ...chunk(run, {}, null), choices: [], usage: chatUsage(run.result.usage) })
  }
  return out
}
