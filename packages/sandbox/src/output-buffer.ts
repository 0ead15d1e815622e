// Collects what the guest prints during one run, up to a cap, and hands out chunks for streaming.

export class OutputBuffer {
  readonly limit: number
  private parts: string[] = []
  private size = 0
  private dropped = 0
  private pending: string[] = []

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
    }
    this.dropped += fullLength + 1 - kept.length
  }

  /** Output since the last call, for streaming to `onOutput`. */
  takePending(): string {
    const chunk = this.pending.join('')
    this.pending = []
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
    this.size = 0
    this.dropped = 0
  }
}
