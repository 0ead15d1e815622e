// Child process for host-limits.test.ts: runs one attack from issue 12 through createRlm with a
// scripted root model, under the heap cap the parent chose, and prints what happened as JSON.
// Run: node --conditions=@rlm/source --max-old-space-size=256 host-attack.ts <attack>

import { createScripted } from '@rlm/providers'
import { createRlm, type RlmConfigInput } from '../../src/index.ts'
import { createSink } from '../sink-model.ts'

const js = (code: string): string => `\`\`\`js\n${code}\n\`\`\``

const sink = createSink(2)

interface Attack {
  context: string
  cells: string[]
  config?: Partial<RlmConfigInput>
}

const noDigits = (chars: number) => 'abcdefghij klmnop\n'.repeat(Math.ceil(chars / 18)).slice(0, chars)

const attacks: Record<string, () => Attack> = {
  'search-limit': () => ({
    context: 'x'.repeat(2_000_000),
    cells: ['search(".", { limit: 9007199254740991 })', 'print(search(".", { limit: 10000 }).length)'],
  }),
  'match-all': () => ({
    context: 'y'.repeat(1_000_000),
    cells: [
      'context.match(/./g)',
      '[...context.matchAll(/./g)].length',
      'context.split("")',
      'context.split(/y/)',
      'print(context.match(/y{1000}/g).length)',
    ],
    config: { contextInlineLimit: 0 },
  }),
  chunks: () => ({
    context: 'z'.repeat(1_000_000),
    cells: ['chunks({ size: 1 })', 'print(chunks({ size: 100 }).length)'],
  }),
  ranges: () => ({
    context: noDigits(1_000_000),
    cells: [
      `const calls = []
for (let i = 0; i < 300; i++) calls.push(llm_query('p', { range: { start: 0, end: context.length } }))
const answers = await Promise.all(calls)
print(answers.filter((a) => a === 'ok').length)`,
    ],
    config: { subModel: sink, concurrency: 16 },
  }),
  'slow-search': () => ({
    context: noDigits(300_000),
    cells: ['search("[\\\\s\\\\S]{1,1000}[0-9]")', 'print("after")'],
    config: { executionTimeoutMs: 2_000, budget: { maxWallTimeMs: 5_000 } },
  }),
  'slow-match': () => ({
    context: noDigits(300_000),
    cells: ['context.match(/[\\s\\S]{1,1000}[0-9]/g)', 'print("after")'],
    config: { executionTimeoutMs: 2_000, budget: { maxWallTimeMs: 5_000 }, contextInlineLimit: 0 },
  }),
}

const name = process.argv[2] ?? ''
const attack = attacks[name]?.()
if (!attack) throw new Error(`unknown attack ${name}`)

// The event loop's health during the run: how late a 100 ms interval timer ever fired.
let worstLateMs = 0
let last = performance.now()
const timer = setInterval(() => {
  const now = performance.now()
  worstLateMs = Math.max(worstLateMs, now - last - 100)
  last = now
}, 100)

const model = createScripted([...attack.cells.map(js), js('FINAL("survived")')])
const started = performance.now()
const result = await createRlm({ model, prewarmSandboxes: 0, ...attack.config }).run({
  query: 'q',
  context: attack.context,
})
clearInterval(timer)
const cells = result.tree.iterations.flatMap((it) => it.cells)
process.stdout.write(
  JSON.stringify({
    status: result.status,
    answer: result.answer,
    ms: performance.now() - started,
    worstLateMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    cells: cells.map((c) => ({ ok: c.ok, output: c.output, error: c.error, durationMs: c.durationMs })),
  }),
)
process.exit(0)
