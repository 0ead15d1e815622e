// The engine as the benchmarks run it: createRlm with OpenAI-compatible root and sub models, both
// pointed at the loopback model server (root "bench-root", sub-calls "bench-sub").
import { createRlm, type Rlm, type RlmConfigInput, type RlmResult } from '@rlm/engine'
import { createOpenAICompatible } from '@rlm/providers'

export function benchRlm(baseURL: string, config: Partial<RlmConfigInput> = {}): Rlm {
  const provider = createOpenAICompatible({
    baseURL,
    apiKey: 'bench',
    model: 'bench-root',
    contextWindow: 1_000_000,
    maxRetries: 0,
  })
  return createRlm({
    model: provider,
    subModel: provider.languageModel('bench-sub'),
    logLevel: 'silent',
    ...config,
  })
}

/** A fenced code block as the root model writes it. */
export const js = (code: string): string => `Let me run this.\n\`\`\`js\n${code}\n\`\`\``

/** Why a run did not end as scripted: status, turns, and every failed cell's error. */
export function whatWentWrong(result: RlmResult): string {
  const failed = result.tree.iterations.flatMap((i) =>
    i.cells.filter((c) => !c.ok).map((c) => `turn ${i.index}: ${c.error?.code} ${c.error?.message}`),
  )
  return `status ${result.status}${result.budget ? ` (${result.budget})` : ''}, ${result.tree.iterations.length} turns, answer ${JSON.stringify(result.answer.slice(0, 300))}${failed.length ? `; failed cells: ${failed.join(' | ')}` : ''}`
}
