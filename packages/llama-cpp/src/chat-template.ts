// The prompt format: the chat template stored in the GGUF file, through node-llama-cpp's chat
// wrappers (a known family's wrapper, else the Jinja template itself); a file without one gets a
// plain "### User / ### Assistant" template rather than a guess from the model's name.

import type { Message } from '@rlm/spec'
import type { ChatHistoryItem, ChatWrapper, LlamaModel } from 'node-llama-cpp'
import { GeneralChatWrapper, resolveChatWrapper } from 'node-llama-cpp'

export function chatWrapperFor(model: LlamaModel): ChatWrapper {
  const template = model.fileInfo.metadata.tokenizer?.chat_template
  if (typeof template !== 'string' || template.trim() === '') return new GeneralChatWrapper()
  return resolveChatWrapper(model, { warningLogs: false, fallbackToOtherWrappersOnJinjaError: true })
}

/** The spec's messages as node-llama-cpp's chat history, ready for the model's reply. */
export function toChatHistory(messages: readonly Message[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m) =>
    m.role === 'assistant' ? { type: 'model', response: [m.content] } : { type: m.role, text: m.content },
  )
  // The reply is written into a model turn: an open one when the last message is the user's.
  if (history.at(-1)?.type !== 'model') history.push({ type: 'model', response: [] })
  return history
}

/** Tokens of the prompt as this model will see it, counted with its own tokenizer. */
export function promptTokenCount(
  model: LlamaModel,
  wrapper: ChatWrapper,
  history: ChatHistoryItem[],
): number {
  const { contextText } = wrapper.generateContextState({ chatHistory: history })
  return contextText.tokenize(model.tokenizer).length
}
