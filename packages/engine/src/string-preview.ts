// Bounded previews of prompts and answers for the tree and events. A V8 slice keeps its whole
// parent string alive, so a preview is copied out: 10,000 previews must not pin 10,000 prompts.

/** The first `max` characters of `text` as a string of their own (never a view into `text`). */
export function preview(text: string, max: number): string {
  if (text.length <= max) return text
  let end = max
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end-- // keep surrogate pairs whole
  return Buffer.from(text.slice(0, end), 'utf16le').toString('utf16le')
}
