// The final answer's size cap (limits.maxAnswerChars) and the short form the `final` event carries:
// a 100M-character FINAL must not be kept, returned and written to the trace in full, let alone twice.

import { preview } from './string-preview.ts'

/** Characters of the answer the `final` event carries; the whole answer is on run_end / child_end. */
export const FINAL_EVENT_CHARS = 2_000

/** The answer cut to `max` characters, with a marker that says its full length and the setting. */
export function capAnswer(answer: string, max: number): string {
  if (answer.length <= max) return answer
  const full = answer.length.toLocaleString('en-US')
  return `${preview(answer, max)}\n[answer truncated: it has ${full} characters; the first ${max.toLocaleString('en-US')} are kept (limits.maxAnswerChars)]`
}

/** The `final` event's fields: a preview of the answer and its length. */
export function finalEventFields(answer: string): { answer: string; answerChars: number } {
  return { answer: preview(answer, FINAL_EVENT_CHARS), answerChars: answer.length }
}
