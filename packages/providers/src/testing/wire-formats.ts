// The wire formats the loopback servers speak: how a request body reads as spec messages and how
// a scripted reply, an error or an unusable body is written back. A custom provider adds its own.
// Each reply and error body `satisfies` the vendor SDK's own response type, so the compiler checks
// these servers against the vendors' contracts rather than against our parsers' reading of them.
import type {
  ErrorResponse as AnthropicErrorResponse,
  Message as AnthropicMessage,
} from '@anthropic-ai/sdk/resources'
import type { ChatCompletion as GroqChatCompletion } from 'groq-sdk/resources/chat/completions'
import type { ChatCompletion as OpenAIChatCompletion } from 'openai/resources/chat/completions'
import type { ErrorObject as OpenAIErrorObject } from 'openai/resources/shared'
import type { FinishReason, Message, Usage } from '../spec.ts'

export interface ParsedWireRequest {
  model?: string
  messages: Message[]
  maxOutputTokens?: number
  temperature?: number
  stop?: string[]
}

export interface WireFormat {
  name: string
  /** Requests whose path ends with this (e.g. '/chat/completions') are answered. */
  pathSuffix: string
  /** Path appended to the server origin to form the baseURL an SDK/client is given. */
  baseURLPath: string
  /** Credentials sent by the client, if any (for the server's `apiKey` check). */
  readApiKey(headers: Record<string, string | string[] | undefined>): string | undefined
  parseRequest(body: unknown): ParsedWireRequest
  formatReply(
    reply: { text: string; usage: Usage; finishReason: FinishReason },
    request: ParsedWireRequest,
  ): unknown
  formatError(status: number, message: string): unknown
  /** A 200 body with nothing usable in it (no choices / no content). */
  formatEmpty(): unknown
}

type Json = Record<string, unknown>
const asObject = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {})
const textOf = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content
          .map((p) => (typeof asObject(p).text === 'string' ? (asObject(p).text as string) : ''))
          .join('')
      : ''
const optNumber = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined)
const stopList = (v: unknown): string[] | undefined =>
  typeof v === 'string'
    ? [v]
    : Array.isArray(v)
      ? v.filter((s): s is string => typeof s === 'string')
      : undefined

const bearer = (headers: Record<string, string | string[] | undefined>): string | undefined => {
  const auth = headers.authorization
  return typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined
}

const openAIFinish = {
  stop: 'stop',
  length: 'length',
  'content-filter': 'content_filter',
  error: 'stop',
  other: 'tool_calls',
} as const satisfies Record<FinishReason, OpenAIChatCompletion.Choice['finish_reason']>

// Groq's API has no content_filter finish reason.
const groqFinish = {
  ...openAIFinish,
  'content-filter': 'stop',
} as const satisfies Record<FinishReason, GroqChatCompletion.Choice['finish_reason']>

let counter = 0

type WireReply = Parameters<WireFormat['formatReply']>[0]

/** A chat.completion body; each wire checks it against its own SDK's type. */
function chatCompletionBody<F extends string>(reply: WireReply, request: ParsedWireRequest, finish: F) {
  const usage = {
    prompt_tokens: reply.usage.inputTokens,
    completion_tokens: reply.usage.outputTokens,
    total_tokens: reply.usage.inputTokens + reply.usage.outputTokens,
    ...(reply.usage.cachedInputTokens !== undefined && {
      prompt_tokens_details: { cached_tokens: reply.usage.cachedInputTokens },
    }),
  }
  return {
    id: `chatcmpl-${++counter}`,
    object: 'chat.completion' as const,
    created: Math.floor(Date.now() / 1000),
    model: request.model ?? 'unknown',
    choices: [
      {
        index: 0,
        message: { role: 'assistant' as const, content: reply.text, refusal: null },
        finish_reason: finish,
        logprobs: null,
      },
    ],
    usage,
  }
}

function chatCompletionsWire(
  name: string,
  baseURLPath: string,
  formatReply: WireFormat['formatReply'],
): WireFormat {
  return {
    name,
    pathSuffix: '/chat/completions',
    baseURLPath,
    readApiKey: bearer,
    parseRequest(body) {
      const b = asObject(body)
      const messages = (Array.isArray(b.messages) ? b.messages : []).map((m) => ({
        role: asObject(m).role as Message['role'],
        content: textOf(asObject(m).content),
      }))
      return {
        model: typeof b.model === 'string' ? b.model : undefined,
        messages,
        maxOutputTokens: optNumber(b.max_completion_tokens) ?? optNumber(b.max_tokens),
        temperature: optNumber(b.temperature),
        stop: stopList(b.stop),
      }
    },
    formatReply,
    formatError(status, message) {
      return {
        error: {
          message,
          type: status === 429 ? 'rate_limit_exceeded' : 'invalid_request_error',
          code: null,
          param: null,
        } satisfies OpenAIErrorObject,
      }
    },
    formatEmpty() {
      // Deliberately short of the contract (no choices' content): what the parsers must reject.
      return { id: `chatcmpl-${++counter}`, object: 'chat.completion', choices: [] }
    },
  }
}

/** OpenAI chat completions; baseURL is `<origin>/v1`. */
export const openAIChatWire: WireFormat = chatCompletionsWire(
  'openai',
  '/v1',
  (reply, request) =>
    chatCompletionBody(reply, request, openAIFinish[reply.finishReason]) satisfies OpenAIChatCompletion,
)

/** Groq speaks chat completions under /openai/v1; the groq-sdk's baseURL is the bare origin. */
export const groqChatWire: WireFormat = chatCompletionsWire(
  'groq',
  '',
  (reply, request) =>
    chatCompletionBody(reply, request, groqFinish[reply.finishReason]) satisfies GroqChatCompletion,
)

const anthropicStop: Record<FinishReason, AnthropicMessage['stop_reason']> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'content-filter': 'refusal',
  error: 'end_turn',
  other: 'tool_use',
}

/** Anthropic Messages API (POST /v1/messages); the SDK's baseURL is the bare origin. */
export const anthropicMessagesWire: WireFormat = {
  name: 'anthropic',
  pathSuffix: '/messages',
  baseURLPath: '',
  readApiKey: (headers) =>
    typeof headers['x-api-key'] === 'string' ? headers['x-api-key'] : bearer(headers),
  parseRequest(body) {
    const b = asObject(body)
    const messages: Message[] = []
    const system = textOf(b.system)
    if (system !== '') messages.push({ role: 'system', content: system })
    for (const m of Array.isArray(b.messages) ? b.messages : []) {
      messages.push({ role: asObject(m).role as Message['role'], content: textOf(asObject(m).content) })
    }
    return {
      model: typeof b.model === 'string' ? b.model : undefined,
      messages,
      maxOutputTokens: optNumber(b.max_tokens),
      temperature: optNumber(b.temperature),
      stop: stopList(b.stop_sequences),
    }
  },
  formatReply(reply, request) {
    const cached = reply.usage.cachedInputTokens
    return {
      id: `msg_${++counter}`,
      type: 'message',
      role: 'assistant',
      model: request.model ?? 'unknown',
      content: [{ type: 'text', text: reply.text, citations: null }],
      stop_reason: anthropicStop[reply.finishReason],
      stop_sequence: null,
      stop_details: null,
      container: null,
      diagnostics: null,
      usage: {
        // Anthropic counts cache reads apart from input_tokens.
        input_tokens: cached === undefined ? reply.usage.inputTokens : reply.usage.inputTokens - cached,
        output_tokens: reply.usage.outputTokens,
        cache_read_input_tokens: cached ?? null,
        cache_creation_input_tokens: cached === undefined ? null : 0,
        cache_creation: null,
        inference_geo: null,
        output_tokens_details: null,
        server_tool_use: null,
        service_tier: null,
        speed: null,
      },
    } satisfies AnthropicMessage
  },
  formatError(status, message) {
    const type =
      status === 401
        ? 'authentication_error'
        : status === 429
          ? 'rate_limit_error'
          : status === 529
            ? 'overloaded_error'
            : status >= 500
              ? 'api_error'
              : 'invalid_request_error'
    return { type: 'error', error: { type, message }, request_id: null } satisfies AnthropicErrorResponse
  },
  formatEmpty() {
    return { id: `msg_${++counter}`, type: 'message', role: 'assistant' }
  },
}

export const WIRE_FORMATS = {
  openai: openAIChatWire,
  anthropic: anthropicMessagesWire,
  groq: groqChatWire,
} as const
