// Start-up benchmark of the `rlm` bin: wall time of `rlm --help`, and cold start to the first
// model request (spawn → a loopback OpenAI-compatible server receives the request). Median of
// several runs; the ideal is the 300 ms budget. Run `pnpm build` first to measure dist/.

import { spawn } from 'node:child_process'
import { appendFileSync, existsSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createOpenAICompatibleServer } from '@rlm/providers/testing'

const BIN = fileURLToPath(new URL('../../../tooling/scripts/rlm-workspace.mjs', import.meta.url))
const BUILT = fileURLToPath(new URL('../dist/main.js', import.meta.url))
const RUNS = Number(process.env.RLM_BENCH_RUNS ?? 7)
const mode = existsSync(BUILT) && statSync(BUILT).mtimeMs > 0 ? 'dist (if current)' : 'source'

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

function runOnce(args: string[], onFirstRequest?: Promise<void>): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: 'ignore',
      env: { ...process.env, NO_COLOR: '1' },
    })
    child.on('error', reject)
    if (onFirstRequest) {
      onFirstRequest.then(() => {
        resolve(performance.now() - t0)
        child.kill('SIGKILL')
      }, reject)
    } else child.on('close', () => resolve(performance.now() - t0))
  })
}

const help: number[] = []
for (let i = 0; i < RUNS; i++) help.push(await runOnce(['--help']))

const cold: number[] = []
for (let i = 0; i < RUNS; i++) {
  let hit!: () => void
  const first = new Promise<void>((r) => {
    hit = r
  })
  await using server = await createOpenAICompatibleServer({
    replies: () => {
      hit()
      return { text: '```js\nFINAL("x")\n```', delayMs: 5000 }
    },
  })
  cold.push(
    await runOnce(['run', 'q', '--model', 'openai-compatible:m', '--base-url', server.baseURL, '-q'], first),
  )
}

const rows = [
  { name: 'cli: rlm --help (wall)', value: median(help) },
  { name: 'cli: cold start to first model request', value: median(cold) },
]
console.log(`rlm bin start-up, median of ${RUNS} runs, node ${process.version}, launcher picks ${mode}`)
console.table(rows.map((r) => ({ benchmark: r.name, 'median ms': r.value.toFixed(0), 'budget ms': 300 })))
if (process.env.RLM_BENCH_JSON) {
  for (const r of rows) {
    appendFileSync(
      process.env.RLM_BENCH_JSON,
      `${JSON.stringify({ name: r.name, value: Math.round(r.value), unit: 'ms', ideal: 300, ratio: r.value / 300, package: '@rlm/cli' })}\n`,
    )
  }
}
