// Turns an AI SDK prompt into an RLM run: the last user message is the query; the context is
// `providerOptions.rlm.context` when given, else the text files attached and the rest of the
// conversation, each as a named document.
import type {
  LanguageModelV4CallOptions,
  LanguageModelV4FilePart,
  LanguageModelV4Message,
} from '@ai-sdk/provider'
import type { ContextInput } from '@rlm/engine'
import { RlmError } from '@rlm/errors'
import { z } from 'zod'

export interface RunInput {
  query: string
  context: ContextInput | undefined
}

const rlmOptionsSchema = z
  .object({
    context: z.union([
      z.string(),
      z.object({ documents: z.array(z.object({ name: z.string(), text: z.string() })) }),
    ]),
  })
  .partial()
  .loose()

interface Document {
  name: string
  text: string
}

function fileText(part: LanguageModelV4FilePart): string {
  const isText = /^text\/|json|xml|yaml|csv|markdown/i.test(part.mediaType)
  const data = part.data
  if (data.type === 'text') return data.text
  if (isText && data.type === 'data') {
    return typeof data.data === 'string'
      ? Buffer.from(data.data, 'base64').toString('utf8')
      : new TextDecoder().decode(data.data)
  }
  throw new RlmError(
    'E_CONFIG',
    `The RLM model reads text files only, got '${part.filename ?? 'a file'}' (${part.mediaType}${data.type === 'url' ? ', by URL' : ''}); attach its text instead.`,
  )
}

function messageText(message: LanguageModelV4Message): string {
  if (typeof message.content === 'string') return message.content
  return message.content
    .map((p) => (p.type === 'text' || p.type === 'reasoning' ? p.text : ''))
    .filter((t) => t !== '')
    .join('\n')
}

export function promptToRun(options: LanguageModelV4CallOptions): RunInput {
  const prompt = options.prompt
  const last = prompt.findLastIndex((m) => m.role === 'user')
  const query = last === -1 ? '' : messageText(prompt[last] as LanguageModelV4Message)
  if (query.trim() === '') {
    throw new RlmError(
      'E_CONFIG',
      'The RLM model needs a user message with text: it is the query the RLM answers.',
    )
  }
  const parsed = rlmOptionsSchema.safeParse(options.providerOptions?.rlm ?? {})
  if (!parsed.success) {
    throw new RlmError(
      'E_CONFIG',
      `providerOptions.rlm is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}. Pass { context: string | { documents: [{ name, text }] } }.`,
    )
  }
  if (parsed.data.context !== undefined) return { query, context: parsed.data.context }
  const documents: Document[] = []
  const transcript: string[] = []
  prompt.forEach((message, i) => {
    if (Array.isArray(message.content)) {
      for (const part of message.content) {
        if (part.type === 'file') {
          documents.push({ name: part.filename ?? `file-${documents.length + 1}`, text: fileText(part) })
        }
      }
    }
    const text = messageText(message)
    if (i !== last && text !== '') transcript.push(`${message.role}: ${text}`)
  })
  if (transcript.length > 0) documents.push({ name: 'conversation', text: transcript.join('\n\n') })
  return { query, context: documents.length > 0 ? { documents } : undefined }
}
