// A chat completion request as an RLM run: the last user message is the query; every other
// message's text, and the text and file parts of all messages, are the context (one document
// each); the `rlm` extension field adds files under the context root and the run's settings.
// Sampling fields standard clients send (temperature, top_p, max_tokens, ...) are accepted and
// ignored: the server's models and caps decide them.

import { z } from 'zod'
import { ApiError } from './api-error.ts'
import { parseBody, snakeKeys } from './body-parsing.ts'
import { type RunSettingsRequest, runSettingsShape } from './run-settings.ts'

const textPart = z.object({ type: z.literal('text'), text: z.string() }).loose()
const filePart = z
  .object({
    type: z.literal('file'),
    file: z
      .object({
        file_data: z.string().optional(),
        filename: z.string().optional(),
        file_id: z.string().optional(),
      })
      .loose(),
  })
  .loose()
const otherPart = z.object({ type: z.string() }).loose()
const contentPart = z.union([textPart, filePart, otherPart])

const message = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
    content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
    name: z.string().optional(),
  })
  .loose()

const rlmExtension = z.preprocess(
  snakeKeys,
  z
    .object({
      context_paths: z.array(z.string().min(1, 'expected a non-empty path')).max(1_000).optional(),
      detach: z.boolean().optional(),
      ...runSettingsShape,
    })
    .strict(),
)

export const chatBodySchema = z
  .object({
    model: z.string().min(1, 'expected a model id such as "rlm"'),
    messages: z.array(message).min(1, 'expected at least one message'),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).loose().nullish(),
    n: z.literal(1, 'this server returns one choice; leave n out or send 1').nullish(),
    rlm: z.unknown().optional(),
  })
  .loose()

export type ChatBody = z.output<typeof chatBodySchema>
type ChatMessage = z.output<typeof message>
type ContentPart = z.output<typeof contentPart>

export interface ChatRunRequest {
  model: string
  query: string
  documents: Array<{ name: string; text: string }>
  contextPaths: string[]
  settings: RunSettingsRequest
  detach: boolean
  stream: boolean
  includeUsage: boolean
}

export function parseChatRequest(value: unknown): ChatRunRequest {
  const body = parseBody(chatBodySchema, value)
  const ext = body.rlm === undefined ? {} : parseBody(rlmExtension, body.rlm, 'rlm.')
  const last = body.messages.findLastIndex((m) => m.role === 'user')
  if (last === -1)
    throw new ApiError(400, 'E_CONFIG', 'messages: expected a user message; its text is the query.', {
      param: 'messages',
    })
  const documents: ChatRunRequest['documents'] = []
  let query = ''
  for (const [i, m] of body.messages.entries()) {
    const { text, files } = messageParts(m, i)
    if (i === last) query = text
    else if (text.trim() !== '') documents.push({ name: `messages[${i}].${m.role}`, text })
    documents.push(...files)
  }
  if (query.trim() === '')
    throw new ApiError(
      400,
      'E_CONFIG',
      `messages[${last}]: the last user message has no text; its text is the query.`,
      {
        param: `messages[${last}].content`,
      },
    )
  const { context_paths, detach, ...settings } = ext as z.output<typeof rlmExtension>
  return {
    model: body.model,
    query,
    documents,
    contextPaths: context_paths ?? [],
    settings,
    detach: detach ?? false,
    stream: body.stream ?? false,
    includeUsage: body.stream_options?.include_usage ?? false,
  }
}

/** A message's text (its text parts joined) and its file parts as documents. */
function messageParts(
  m: ChatMessage,
  index: number,
): { text: string; files: Array<{ name: string; text: string }> } {
  if (typeof m.content === 'string') return { text: m.content, files: [] }
  if (!m.content) return { text: '', files: [] }
  const texts: string[] = []
  const files: Array<{ name: string; text: string }> = []
  for (const [j, part] of m.content.entries()) {
    const where = `messages[${index}].content[${j}]`
    if (part.type === 'text') texts.push((part as z.output<typeof textPart>).text)
    else if (part.type === 'file') files.push(fileDocument(part as z.output<typeof filePart>, where))
    else throw unsupportedPart(part, where)
  }
  return { text: texts.join('\n\n'), files }
}

function unsupportedPart(part: ContentPart, where: string): ApiError {
  return new ApiError(
    400,
    'E_CONFIG',
    `${where}: content parts of type "${part.type}" are not supported; send text parts, or file parts holding text.`,
    { param: where },
  )
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** A file part's `file_data` (a data URL or bare base64) decoded as UTF-8 text. */
function fileDocument(part: z.output<typeof filePart>, where: string): { name: string; text: string } {
  const { file_data: data, filename, file_id: id } = part.file
  if (data === undefined) {
    throw new ApiError(
      400,
      'E_CONFIG',
      `${where}: ${id ? 'file_id references are not supported (this server stores no files)' : 'expected file.file_data'}; send the file's content as file_data (base64 or a data: URL).`,
      { param: `${where}.file` },
    )
  }
  const comma = data.startsWith('data:') ? data.indexOf(',') : -1
  const base64 = comma === -1 ? data : data.slice(comma + 1)
  let text: string
  try {
    text = utf8.decode(Buffer.from(base64, 'base64'))
  } catch {
    text = '\0'
  }
  if (text.includes('\0')) {
    throw new ApiError(
      400,
      'E_CONTEXT_INPUT',
      `${where}: ${filename ?? 'the file'} is not UTF-8 text; extract its text first (PDFs, images and other binary files are not read).`,
      { param: `${where}.file.file_data` },
    )
  }
  return { name: filename ?? where, text }
}
