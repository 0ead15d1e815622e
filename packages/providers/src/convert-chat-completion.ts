// Maps an OpenAI-style chat-completions body (OpenAI, Groq, Ollama, vLLM, ...) to the spec's
// text, usage and finish reason, validating it with zod because the server may be anyone's.
import { formatIssues } from '@rlm/errors'
import { z } from 'zod'
import type { FinishReason, GenerateRequest, Usage } from './spec.ts'

const chatCompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable().optional() }).passthrough(),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1, 'choices is empty'),
  usage: z
    .object({
      prompt_tokens: z.number().optional(),
      completion_tokens: z.number().optional(),
      prompt_tokens_details: z.object({ cached_tokens: z.number().optional() }).nullable().optional(),
    })
    .nullable()
    .optional(),
})

export function mapChatFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop'
    case 'length':
      return 'length'
    case 'content_filter':
      return 'content-filter'
    default:
      return 'other'
  }
}

export type ParsedChatCompletion =
  | { ok: true; text: string; usage: Usage; finishReason: FinishReason }
  | { ok: false; problem: string }

export function parseChatCompletion(body: unknown): ParsedChatCompletion {
  const parsed = chatCompletionSchema.safeParse(body)
  if (!parsed.success) {
    return {
      ok: false,
      problem: formatIssues(parsed.error.issues, { root: 'body' }),
    }
  }
  const choice = parsed.data.choices[0] as {
    message: { content?: string | null }
    finish_reason?: string | null
  }
  const u = parsed.data.usage
  const usage: Usage = { inputTokens: u?.prompt_tokens ?? 0, outputTokens: u?.completion_tokens ?? 0 }
  const cached = u?.prompt_tokens_details?.cached_tokens
  if (cached !== undefined) usage.cachedInputTokens = cached
  return {
    ok: true,
    text: choice.message.content ?? '',
    usage,
    finishReason: mapChatFinishReason(choice.finish_reason),
  }
}

/** The request body for POST /chat/completions. */
export function toChatCompletionBody(modelId: string, request: GenerateRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: modelId,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
  }
  if (request.maxOutputTokens !== undefined) body.max_tokens = request.maxOutputTokens
  if (request.temperature !== undefined) body.temperature = request.temperature
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop
  return body
}
