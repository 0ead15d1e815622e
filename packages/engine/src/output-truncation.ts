// Caps what a cell printed before it goes back into the model's history, keeping the start and
// the end (errors and final prints tend to be last) and saying how much was cut.

export const DEFAULT_OUTPUT_LIMIT = 20_000

export function truncateOutput(output: string, limit = DEFAULT_OUTPUT_LIMIT): string {
  if (output.length <= limit) return output
  const head = Math.floor(limit * 0.75)
  const tail = limit - head
  return (
    output.slice(0, head) +
    `\n[... output truncated: showing ${limit.toLocaleString('en-US')} of ${output.length.toLocaleString('en-US')} characters; print less, or slice and summarize with llm_query ...]\n` +
    output.slice(output.length - tail)
  )
}
