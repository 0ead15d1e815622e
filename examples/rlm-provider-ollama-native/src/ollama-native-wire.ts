// Ollama's native /api/chat wire format for the @rlm/providers loopback server, so this
// package (and anyone building on it) runs the conformance suite against a scripted Ollama.
import type { WireFormat } from '@rlm/providers/testing'

type Json = Record<string, unknown>
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {})
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined)

export const ollamaNativeWire: WireFormat = {
  name: 'ollama-native',
  pathSuffix: '/api/chat',
  baseURLPath: '',
  readApiKey: (headers) => {
    const auth = headers.authorization
    return typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined
  },
  parseRequest(body) {
    const b = obj(body)
    const options = obj(b.options)
    return {
      model: typeof b.model === 'string' ? b.model : undefined,
      messages: (Array.isArray(b.messages) ? b.messages : []).map((m) => ({
        role: obj(m).role as 'system' | 'user' | 'assistant',
        content: String(obj(m).content ?? ''),
      })),
      maxOutputTokens: num(options.num_predict),
      temperature: num(options.temperature),
      stop: Array.isArray(options.stop) ? (options.stop as string[]) : undefined,
    }
  },
  formatReply(reply, request) {
    return {
      model: request.model ?? 'unknown',
      created_at: new Date().toISOString(),
      message: { role: 'assistant', content: reply.text },
      done: true,
      done_reason: reply.finishReason === 'length' ? 'length' : 'stop',
      total_duration: 1_000_000,
      prompt_eval_count: reply.usage.inputTokens,
      eval_count: reply.usage.outputTokens,
    }
  },
  formatError: (_status, message) => ({ error: message }),
  formatEmpty: () => ({ model: 'unknown', done: true }),
}
