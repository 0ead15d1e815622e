// What a model call may cost before it is sent: its input estimated from characters, its output
// cap (or, without one, the rest of the model's window), and their price. Budgets reserve this.

import type { LanguageModel, ModelMessage } from './model-spec.ts'
import type { Reservation } from './run-budget.ts'

/** Per-message framing tokens that chat formats add (role markers, separators). */
const MESSAGE_OVERHEAD = 4
/** Output reserved when neither a cap nor a window is known (documented in the README). */
export const DEFAULT_OUTPUT_RESERVE = 4_096

/** Input tokens of `messages`, estimated on the high side of typical text (3.5 characters a token). */
export function estimateInputTokens(messages: readonly ModelMessage[]): number {
  let chars = 0
  for (const m of messages) chars += m.content.length
  return estimateCharsTokens(chars, messages.length)
}

/** The same from a character count, for messages not read yet. */
export function estimateCharsTokens(chars: number, messageCount: number): number {
  return Math.ceil(chars / 3.5) + MESSAGE_OVERHEAD * messageCount
}

/** The worst case of one call: input plus the output cap (else the window's rest), priced. */
export function worstCase(
  model: LanguageModel,
  inputTokens: number,
  maxOutputTokens: number | undefined,
  window: number | undefined,
): Reservation {
  const output = maxOutputTokens ?? (window ? Math.max(0, window - inputTokens) : DEFAULT_OUTPUT_RESERVE)
  const price = model.price
  const costUsd = price
    ? (inputTokens * price.inputPerMillion + output * price.outputPerMillion) / 1_000_000
    : 0
  return { tokens: inputTokens + output, costUsd }
}
