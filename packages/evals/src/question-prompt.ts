// The one prompt shape for "answer this from that text": the direct baseline sends it with the
// (truncated) context, and the offline strategy's sub-calls send it with one chunk. The
// offline reader model parses it back, so it can only ever see the text it was given.
import type { EvalDocument } from './task.ts'

const OPEN = '<context>\n'
const CLOSE = '\n</context>'
const INSTRUCTION = 'Answer the question using only the text between <context> and </context>.'

export function questionPrompt(question: string, text: string): string {
  return `${INSTRUCTION}\n\n${OPEN}${text}${CLOSE}\n\nQuestion: ${question}`
}

export function parseQuestionPrompt(prompt: string): { question: string; text: string } | undefined {
  const start = prompt.indexOf(OPEN)
  const end = prompt.lastIndexOf(CLOSE)
  if (start < 0 || end < start) return undefined
  const question = /\n\nQuestion: ([\s\S]*)$/.exec(prompt.slice(end + CLOSE.length))?.[1]
  if (question === undefined) return undefined
  return { question: question.trim(), text: prompt.slice(start + OPEN.length, end) }
}

/** Documents as one text, each wrapped in a tag that names it. */
export function renderDocuments(documents: readonly EvalDocument[]): string {
  return documents.map((doc) => `<document name="${doc.name}">\n${doc.text}\n</document>`).join('\n')
}

/** The prompt pieces guest code needs to build the same prompt inside the REPL. */
export const QUESTION_PROMPT_PARTS = { instruction: INSTRUCTION, open: OPEN, close: CLOSE } as const
