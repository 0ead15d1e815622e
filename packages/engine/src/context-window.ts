// Whether a request fits a model's window (model-window.ts says which) before it is sent: an
// oversized prompt is refused here (E_CONTEXT_WINDOW) instead of being billed and rejected.

import { RlmError } from '@rlm/errors'
import type { ModelMessage } from './model-spec.ts'

const MESSAGE_OVERHEAD = 4
const EXACT_COUNT_MAX_BYTES = 1 << 20

/**
 * Tokens of `messages` when they may not fit `room`, else undefined (they surely fit). Byte-level
 * BPE tokens average well over 2 UTF-8 bytes, so half the byte length bounds typical text; only
 * requests past that bound are counted exactly with tiktoken (far past it, the estimate is said).
 */
async function tokensNearLimit(
  messages: readonly ModelMessage[],
  room: number,
): Promise<{ tokens: number; exact: boolean } | undefined> {
  let bytes = 0
  for (const m of messages) bytes += Buffer.byteLength(m.content, 'utf8')
  const overhead = MESSAGE_OVERHEAD * messages.length
  if (bytes / 2 + overhead <= room) return undefined
  // Far past the window even at 12 bytes a token, and big: counting it exactly would cost more
  // than the answer is worth (a batch of such prompts would stall the host), so say the estimate.
  if (bytes > EXACT_COUNT_MAX_BYTES && bytes / 12 > room)
    return { tokens: Math.ceil(bytes / 4) + overhead, exact: false }
  const { countTextTokens } = await import('@rlm/context')
  let tokens = overhead
  for (const m of messages) tokens += countTextTokens(m.content)
  return { tokens, exact: true }
}

/**
 * Throws E_CONTEXT_WINDOW when `messages` plus `outputTokens` do not fit `window`. `who` names the
 * model in the message; `advice` says what to do instead.
 */
export async function assertFitsWindow(
  messages: readonly ModelMessage[],
  window: number | undefined,
  outputTokens: number | undefined,
  who: 'sub-model' | 'root model',
  advice: string,
): Promise<void> {
  if (!window) return
  const room = window - (outputTokens ?? 0)
  const measured = await tokensNearLimit(messages, room)
  if (!measured || measured.tokens <= room) return
  const n = `${measured.exact ? '' : 'about '}${measured.tokens.toLocaleString('en-US')}`
  const out = outputTokens ? ` (${outputTokens.toLocaleString('en-US')} of it kept for the answer)` : ''
  throw new RlmError(
    'E_CONTEXT_WINDOW',
    `prompt has ${n} tokens, the ${who}'s window is ${window.toLocaleString('en-US')}${out}; ${advice}`,
    { details: { tokens: measured.tokens, exact: measured.exact, window, outputTokens: outputTokens ?? 0 } },
  )
}
