// A sub-call's prompt as the call sees it: its size up front, its text read at most once (a
// deferred prompt only when the call holds its slot), and its hash once the text is known.

import { createHash } from 'node:crypto'
import type { LazyText } from './context-range.ts'
import { assertFitsWindow } from './context-window.ts'
import type { DeferredMessages } from './model-call.ts'
import type { ModelMessage } from './model-spec.ts'

/**
 * A sub-call's prompt: a string, or an instruction and context text read only when the call
 * holds its slot (`instruction + '\n\n' + text`), so 10,000 queued calls hold no copies of it.
 * `advice` replaces the E_CONTEXT_WINDOW message's advice when the prompt does not fit.
 */
export type SubPrompt = string | { instruction: string; text: LazyText; advice?: string }

const SPLIT_ADVICE = "split it with chunks({ strategy: 'tokens', size }) and send the pieces"

/** Could a prompt of `chars` UTF-16 units not fit? (A unit is at most 3 UTF-8 bytes, and
 * assertFitsWindow takes half the bytes as a sure bound on tokens.) */
function mayNotFit(chars: number, window: number | undefined, outputTokens: number | undefined): boolean {
  return window !== undefined && (3 * chars) / 2 + 4 > window - (outputTokens ?? 0)
}

function hashPrompt(prompt: string): string {
  return createHash('sha1').update(prompt).digest('hex')
}

export class SubCallPrompt {
  readonly chars: number
  /** The whole text, once read (a string prompt from the start). */
  text: string | undefined
  /** The text's hash; empty until the text is read. */
  hash = ''

  private readonly prompt: SubPrompt

  constructor(prompt: SubPrompt) {
    this.prompt = prompt
    this.chars =
      typeof prompt === 'string' ? prompt.length : prompt.instruction.length + 2 + prompt.text.chars
  }

  /**
   * Checked before it counts as a sub-call: a prompt that cannot fit is never sent. A deferred
   * prompt is read for the check only when it might not fit, and let go after it.
   */
  async assertFits(window: number | undefined, maxOutputTokens: number | undefined): Promise<void> {
    if (typeof this.prompt !== 'string' && !mayNotFit(this.chars, window, maxOutputTokens)) return
    const check = [{ role: 'user' as const, content: this.readText() }]
    const advice = (typeof this.prompt === 'object' && this.prompt.advice) || SPLIT_ADVICE
    await assertFitsWindow(check, window, maxOutputTokens, 'sub-model', advice)
  }

  /** Reads the text now (a replay looks its reply up by the prompt's hash). */
  readNow(): void {
    if (this.text === undefined) this.keep(this.readText())
  }

  /** What events and records show: the text once read, else the instruction. */
  shown(): string {
    return this.text ?? (typeof this.prompt === 'string' ? this.prompt : this.prompt.instruction)
  }

  /** The call's messages: whole if the text is known, else read when the call holds its slot. */
  messages(): ModelMessage[] | DeferredMessages {
    const text = this.text
    if (text !== undefined) return [{ role: 'user', content: text }]
    return {
      chars: this.chars,
      count: 1,
      read: () => {
        const read = this.readText()
        this.keep(read)
        return [{ role: 'user', content: read }]
      },
    }
  }

  private readText(): string {
    const p = this.prompt
    return typeof p === 'string' ? p : `${p.instruction}\n\n${p.text.read()}`
  }

  private keep(text: string): void {
    this.text = text
    this.hash = hashPrompt(text)
  }
}
