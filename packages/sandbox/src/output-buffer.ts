// Collects what the guest prints during one run, up to a cap, and hands out chunks for streaming.
// Lines are joined in groups, so a million one-character prints are a thousand strings on the
// worker's V8 heap, not a million (that heap is small, and the guest must never be able to fill it).

const GROUP = 1024

export class OutputBuffer {
  readonly limit: number
  private parts: string[] = []
  private size = 0
  private dropped = 0
  private pending: string[] = []
  /** Lines at the end of parts / pending not yet joined into a group. */
  private looseParts = 0
  private loosePending = 0

  constructor(limit: number) {
    this.limit = limit
  }

  /** Characters that can still be stored this run. */
  get remaining(): number {
    return Math.max(0, this.limit - this.size)
  }

  /** Appends one printed line; `fullLength` is the length before the guest clipped it. */
  appendLine(text: string, fullLength = text.length): void {
    const line = `${text}\n`
    const room = this.remaining
    const kept = line.length <= room ? line : line.slice(0, room)
    if (kept.length > 0) {
      this.parts.push(kept)
      this.pending.push(kept)
      this.size += kept.length
      if (++this.looseParts === GROUP) {
        this.parts.push(this.parts.splice(-GROUP).join(''))
        this.looseParts = 0
      }
      if (++this.loosePending === GROUP) {
        this.pending.push(this.pending.splice(-GROUP).join(''))
        this.loosePending = 0
      }
    }
    this.dropped += fullLength + 1 - kept.length
  }

  /** Output since the last call, for streaming to `onOutput`. */
  takePending(): string {
    const chunk = this.pending.join('')
    this.pending = []
    this.loosePending = 0
    return chunk
  }

  /** The whole output of the run, with a visible marker when the cap dropped text. */
  text(): string {
    const body = this.parts.join('')
    if (this.dropped === 0) return body
    return `${body}${body.endsWith('\n') || body === '' ? '' : '\n'}[output truncated: ${this.dropped} more characters were printed than the ${this.limit}-character limit allows; print less, e.g. a slice or a count]\n`
  }

  reset(): void {
    this.parts = []
    this.pending = []
    this.looseParts = 0
    this.loosePending = 0
    this.size = 0
    this.dropped = 0
  }
}
