// Scenario 10: 8 child RLMs x 2 turns at depth 2 (the object form of rlm_query_batched), in a
// fresh process after one warm-up run. The figure is the children's span (first child_start to
// last child_end): at 0 ms per model call it is the machinery alone, at 200 ms the ideal is the
// two child turns (400 ms).
import { runChild } from '../child-process.ts'
import { makeText } from '../context-text.ts'
import { QUICK, report, summarize } from '../figures.ts'
import type { BenchServer } from '../model-server-process.ts'
import { benchRlm, js } from '../rlm-under-test.ts'

const CHILDREN = 8
const ROOT = 'BENCH-MACHINERY-ROOT'
const CHILD = 'BENCH-MACHINERY-CHILD'

export interface ChildMachineryReport {
  spanMs: number[]
  runMs: number[]
}

export const childMachineryScript = (latencyMs: number) => ({
  latencyMs,
  conversations: [
    {
      match: ROOT,
      turns: [
        js(`const answers = await rlm_query_batched(
  Array.from({ length: ${CHILDREN} }, (_, i) => ({ query: '${CHILD}: how long is part ' + i + '?', text: context.slice(i * 1000, (i + 1) * 1000 + i) })),
)
print(answers)`),
        js(`FINAL(answers.join(' | '))`),
      ],
    },
    { match: CHILD, turns: [js('const n = context.length\nprint(n)'), js("FINAL('part of ' + n)")] },
  ],
})

/** In the child process: a warm-up run, then `runs` measured runs. */
export async function runChildMachinery(baseURL: string, runs: number): Promise<ChildMachineryReport> {
  let first = Number.POSITIVE_INFINITY
  let last = 0
  const rlm = benchRlm(baseURL, {
    maxDepth: 2,
    onEvent: (e) => {
      if (e.type === 'child_start') first = Math.min(first, performance.now())
      else if (e.type === 'child_end') last = Math.max(last, performance.now())
    },
  })
  const text = makeText(64 * 1024)
  const expected = Array.from({ length: CHILDREN }, (_, i) => `part of ${1000 + i}`).join(' | ')
  const out: ChildMachineryReport = { spanMs: [], runMs: [] }
  for (let i = 0; i <= runs; i++) {
    first = Number.POSITIVE_INFINITY
    last = 0
    const t = performance.now()
    const r = await rlm.run({ query: `${ROOT}: measure every part`, context: text })
    const runMs = performance.now() - t
    if (r.answer !== expected) throw new Error(`children answered ${r.status} ${JSON.stringify(r.answer)}`)
    if (i === 0) continue // the warm-up
    out.spanMs.push(last - first)
    out.runMs.push(runMs)
  }
  return out
}

export async function scenarioChildMachinery(server: BenchServer): Promise<void> {
  for (const latencyMs of [0, 200]) {
    await server.play(childMachineryScript(latencyMs))
    const { result } = await runChild<ChildMachineryReport>('child-machinery', {
      baseURL: server.baseURL,
      runs: QUICK ? 3 : 7,
    })
    report({
      name: `10. ${CHILDREN} children x 2 turns, depth 2, ${latencyMs} ms per call: children span (first start to last end), warm`,
      value: summarize(result.spanMs),
      unit: 'ms',
      ideal: latencyMs === 0 ? 100 : 2 * latencyMs,
    })
    report({
      name: `10. the same, whole run (${latencyMs} ms per call)`,
      value: summarize(result.runMs),
      unit: 'ms',
      ideal: latencyMs === 0 ? null : 4 * latencyMs,
    })
  }
}
