// Scenario 5: rlm_query_batched of 8 child RLMs, 2 iterations each, at depth 2, every model turn
// at 200 ms. Ideal: the root's 2 turns plus one child's 2 turns (children run in parallel) = 4 x 200 ms.
import { makeText } from '../context-text.ts'
import { report, sample } from '../figures.ts'
import type { BenchServer } from '../model-server-process.ts'
import { benchRlm, js } from '../rlm-under-test.ts'

const CHILDREN = 8
const LATENCY_MS = 200
const ROOT = 'BENCH-CHILDREN-ROOT'
const CHILD = 'BENCH-CHILDREN-CHILD'

export async function scenarioChildRlms(server: BenchServer): Promise<void> {
  await server.play({
    latencyMs: LATENCY_MS,
    conversations: [
      {
        match: ROOT,
        turns: [
          js(`const answers = await rlm_query_batched(
  Array.from({ length: ${CHILDREN} }, (_, i) => '${CHILD}: how long is part ' + i + '?'),
  Array.from({ length: ${CHILDREN} }, (_, i) => context.slice(i * 1000, (i + 1) * 1000 + i)),
)
print(answers)`),
          js(`FINAL(answers.join(' | '))`),
        ],
      },
      {
        match: CHILD,
        turns: [js('const n = context.length\nprint(n)'), js("FINAL('part of ' + n)")],
      },
    ],
  })
  const rlm = benchRlm(server.baseURL, { maxDepth: 2 })
  const text = makeText(64 * 1024)
  const expected = Array.from({ length: CHILDREN }, (_, i) => `part of ${1000 + i}`).join(' | ')
  const time = await sample(
    async () => {
      const r = await rlm.run({ query: `${ROOT}: measure every part`, context: text })
      if (r.answer !== expected) throw new Error(`children answered ${JSON.stringify(r.answer)}`)
      if (r.tree.children.length !== CHILDREN) throw new Error(`${r.tree.children.length} children ran`)
      return undefined
    },
    { runs: 5 },
  )
  report({
    name: `5. rlm_query_batched: ${CHILDREN} children x 2 iterations, depth 2, ${LATENCY_MS} ms per turn`,
    value: time,
    unit: 'ms',
    ideal: (2 + 2) * LATENCY_MS,
  })
}
