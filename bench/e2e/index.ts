// The end-to-end benchmark suite: the engine (and the CLI) against one loopback OpenAI-compatible
// model server, scenario by scenario, each figure beside its ideal.
//   node --conditions=@rlm/source --expose-gc index.ts [scenario numbers...]
// Scenario 8 (a 100M-token context: a 400 MB temp file, ~20 s, ~2 GB RSS) is skipped with RLM_BENCH_100M=0.
import { availableParallelism, cpus, totalmem } from 'node:os'
import { printTable, QUICK } from './figures.ts'
import { spawnModelServer } from './model-server-process.ts'
import { scenarioChildMachinery } from './scenarios/child-machinery.ts'
import { scenarioChildRlms } from './scenarios/child-rlms.ts'
import { scenarioCliColdStart } from './scenarios/cli-cold-start.ts'
import { scenarioColdFanout, scenarioGenerateBurst } from './scenarios/cold-fanout.ts'
import { scenarioHugeContext } from './scenarios/huge-context.ts'
import { scenarioManySubCalls } from './scenarios/many-sub-calls.ts'
import { scenarioRunOverhead } from './scenarios/run-overhead.ts'
import { scenarioStringMemory } from './scenarios/string-memory.ts'
import { scenarioBatched, scenarioPromiseAll } from './scenarios/sub-call-fanout.ts'
import { scenarioFortyMiB, scenarioOneMiB } from './scenarios/ten-iterations.ts'

const scenarios = [
  { n: 1, title: '10 iterations over 1 MiB, zero latency (warm and cold)', run: scenarioOneMiB },
  { n: 2, title: '10 iterations over 40 MiB, peak RSS', run: scenarioFortyMiB },
  { n: 3, title: 'llm_query_batched of 100 at 200 ms', run: scenarioBatched },
  { n: 4, title: '100 llm_query under Promise.all at 200 ms', run: scenarioPromiseAll },
  { n: 5, title: 'rlm_query_batched of 8 children, depth 2', run: scenarioChildRlms },
  { n: 6, title: 'CLI cold start to the first model request', run: scenarioCliColdStart },
  { n: 7, title: '10,000 sub-calls in one run', run: scenarioManySubCalls },
  {
    n: 8,
    title: 'a 100M-token context: load, describe, search, fan-out',
    run: scenarioHugeContext,
    skipWith: 'RLM_BENCH_100M',
  },
  { n: 9, title: 'per-iteration and fixed cost of a run, warm, fresh process', run: scenarioRunOverhead },
  { n: 10, title: '8 child RLMs x 2 turns at depth 2: the machinery', run: scenarioChildMachinery },
  { n: 11, title: 'a 40 MiB string context: peak and retained memory', run: scenarioStringMemory },
  { n: 12, title: 'cold fan-out: 100 x 200 ms, first run in a fresh process', run: scenarioColdFanout },
  { n: 13, title: '200 concurrent generate calls vs bare http.request', run: scenarioGenerateBurst },
]

const picked = process.argv.slice(2).map(Number).filter(Number.isInteger)
const selected = scenarios.filter((s) =>
  picked.length ? picked.includes(s.n) : !s.skipWith || process.env[s.skipWith] !== '0',
)

const cpu = cpus()[0]?.model ?? 'unknown CPU'
console.log(
  `rlm e2e benchmarks${QUICK ? ' (quick)' : ''}: Node ${process.version}, ${availableParallelism()} vCPU (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB`,
)
const server = await spawnModelServer()
let failed = 0
try {
  for (const s of selected) {
    console.log(`\n${s.n}. ${s.title}`)
    try {
      await s.run(server)
    } catch (err) {
      failed++
      console.error(`  scenario ${s.n} failed: ${(err as Error).stack ?? String(err)}`)
    }
  }
} finally {
  await server.close()
}
printTable()
if (!picked.length && !selected.some((s) => s.n === 8))
  console.log('\n(scenario 8 skipped: RLM_BENCH_100M=0)')
if (failed) {
  console.error(`\n${failed} scenario(s) failed`)
  process.exitCode = 1
}
// Sandbox worker pools and keep-alive sockets of the engine would keep the process alive.
process.exit()
