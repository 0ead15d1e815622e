// The paper's baseline: one plain model call with the context cut to fit the model's window
// (the start is kept, the rest dropped, and the prompt says so).
import type { LanguageModel } from '@rlm/providers'
import { questionPrompt } from './question-prompt.ts'
import { CHARS_PER_TOKEN, type EvalDocument, type EvalTask } from './task.ts'

/** Window assumed when neither the options nor the model give one. */
export const DEFAULT_CONTEXT_WINDOW = 128_000
/** Tokens kept free for the question, the instructions and the answer. */
const RESERVED_TOKENS = 2048
/** Estimates drift from real tokenizers; stay 10% under the window. */
const SAFETY = 0.9

export interface DirectOptions {
  contextWindow: number
  maxOutputTokens?: number
  signal?: AbortSignal
}

export interface DirectOutcome {
  prediction: string
  truncated: boolean
  inputTokens: number
  outputTokens: number
  costUsd: number
  unpricedCalls: number
}

/** Most characters of context a prompt for this window may carry. */
export function contextBudgetChars(contextWindow: number, query: string): number {
  const tokens = contextWindow - RESERVED_TOKENS - Math.ceil(query.length / CHARS_PER_TOKEN)
  return Math.max(0, Math.floor(tokens * CHARS_PER_TOKEN * SAFETY))
}

/** The context as one text of at most `maxChars`, rendering documents only as far as they fit. */
export function truncateContext(
  context: string | readonly EvalDocument[],
  maxChars: number,
): { text: string; truncated: boolean } {
  if (typeof context === 'string') {
    return context.length <= maxChars
      ? { text: context, truncated: false }
      : { text: context.slice(0, maxChars), truncated: true }
  }
  const parts: string[] = []
  let length = 0
  for (const doc of context) {
    const part = `<document name="${doc.name}">\n${doc.text}\n</document>`
    const room = maxChars - length - (parts.length > 0 ? 1 : 0)
    if (part.length > room) {
      if (room > 0) parts.push(part.slice(0, room))
      return { text: parts.join('\n'), truncated: true }
    }
    parts.push(part)
    length += part.length + (parts.length > 1 ? 1 : 0)
  }
  return { text: parts.join('\n'), truncated: false }
}

export async function runDirect(
  task: EvalTask,
  model: LanguageModel,
  options: DirectOptions,
): Promise<DirectOutcome> {
  const { text, truncated } = truncateContext(
    task.context,
    contextBudgetChars(options.contextWindow, task.query),
  )
  const body = truncated ? `${text}\n[... the rest of the context was cut to fit the model's window]` : text
  const request: Parameters<LanguageModel['generate']>[0] = {
    messages: [{ role: 'user', content: questionPrompt(task.query, body) }],
    maxOutputTokens: options.maxOutputTokens ?? 1024,
  }
  if (options.signal) request.abortSignal = options.signal
  const response = await model.generate(request)
  return {
    prediction: response.text,
    truncated,
    inputTokens: response.usage.inputTokens,
    outputTokens: response.usage.outputTokens,
    costUsd: response.costUsd ?? 0,
    unpricedCalls: response.costUsd === undefined ? 1 : 0,
  }
}
