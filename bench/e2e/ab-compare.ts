// A/B on a loaded machine: the same child job (child-jobs.ts) run from another checkout (the base:
// e.g. `git worktree add --detach /tmp/base <commit>`, `pnpm install` there, and this folder's
// child-jobs.ts and scenarios/ copied in) and from this one, alternated against one model server;
// medians per side. Load hits both sides alike, so the comparison holds where absolute times do not.
//   node --conditions=@rlm/source --expose-gc ab-compare.ts <base root> <job> [rounds]
//   jobs: cold-ten, cold-fanout, overhead, children (LAT=200 for 200 ms turns), memory
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { MiB, makeTextFile } from './context-text.ts'
import { summarize } from './figures.ts'
import { type BenchServer, spawnModelServer } from './model-server-process.ts'
import { childMachineryScript } from './scenarios/child-machinery.ts'
import { coldFanoutScript } from './scenarios/cold-fanout.ts'
import { runOverheadScript } from './scenarios/run-overhead.ts'
import { tenIterationsScript } from './scenarios/ten-iterations.ts'

type Figures = Record<string, number>
type Job = (server: BenchServer, run: (job: string, args: object) => Promise<Outcome>) => Promise<Figures>
interface Outcome {
  wallMs: number
  // biome-ignore lint/suspicious/noExplicitAny: each child job reports its own JSON shape
  result: any
}

const median = (values: number[]): number => summarize(values).median

const jobs: Record<string, Job> = {
  async 'cold-ten'(server, run) {
    await server.play(tenIterationsScript(0))
    const r = await run('ten-iterations', { baseURL: server.baseURL, file: makeTextFile(MiB) })
    return { spawnToExitMs: r.wallMs, runMs: r.result.runMs }
  },
  async 'cold-fanout'(server, run) {
    await server.play(coldFanoutScript)
    const r = await run('cold-fanout', { baseURL: server.baseURL })
    return { spawnToExitMs: r.wallMs, runMs: r.result.runMs, batchMs: r.result.batchMs }
  },
  async overhead(server, run) {
    await server.play(runOverheadScript)
    const r = await run('run-overhead', { baseURL: server.baseURL, rounds: 3 })
    const one = median(r.result.oneMs)
    const perIterationMs = (median(r.result.longMs) - one) / 20 - r.result.serverMs
    return { oneIterationMs: one, perIterationMs, tenMiBMs: median(r.result.tenMiBMs) }
  },
  async children(server, run) {
    await server.play(childMachineryScript(Number(process.env.LAT ?? 0)))
    const r = await run('child-machinery', { baseURL: server.baseURL, runs: 3 })
    return { spanMs: median(r.result.spanMs), runMs: median(r.result.runMs) }
  },
  async memory(server, run) {
    await server.play(tenIterationsScript(0))
    const r = await run('string-memory', { baseURL: server.baseURL, file: makeTextFile(40 * MiB), more: 3 })
    const settled: number[] = r.result.settled
    return {
      peakAboveMiB: (r.result.peak - r.result.before) / MiB,
      growthPerRunMiB: ((settled.at(-1) as number) - (settled[0] as number)) / 3 / MiB,
    }
  },
}

function childJob(root: string): (job: string, args: object) => Promise<Outcome> {
  return async (job, args) => {
    const start = performance.now()
    const script = join(root, 'bench', 'e2e', 'child-jobs.ts')
    const child = spawn(
      process.execPath,
      ['--conditions=@rlm/source', '--expose-gc', script, job, JSON.stringify(args)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (d: string) => {
      out += d
    })
    const code = await new Promise((resolve) => child.on('close', resolve))
    if (code !== 0) throw new Error(`${root}: ${job} exited ${code}: ${out.slice(-500)}`)
    return { wallMs: performance.now() - start, result: JSON.parse(out.trim().split('\n').at(-1) as string) }
  }
}

const [baseRoot, name = 'cold-fanout', rounds = '5'] = process.argv.slice(2)
const job = jobs[name]
if (!baseRoot || !job)
  throw new Error(`usage: ab-compare.ts <base root> <${Object.keys(jobs).join('|')}> [rounds]`)
const sides = { base: childJob(baseRoot), new: childJob(join(import.meta.dirname, '..', '..')) }
const seen: Record<string, Record<string, number[]>> = { base: {}, new: {} }
const server = await spawnModelServer()
try {
  for (let i = 0; i < Number(rounds); i++) {
    const order = Object.entries(sides)
    for (const [side, run] of i % 2 ? order.reverse() : order) {
      for (const [figure, value] of Object.entries(await job(server, run))) {
        const list = seen[side] as Record<string, number[]>
        list[figure] = [...(list[figure] ?? []), value]
      }
    }
  }
} finally {
  await server.close()
}
for (const [side, figures] of Object.entries(seen)) {
  const cells = Object.entries(figures).map(([figure, values]) => {
    const s = summarize(values)
    return `${figure} ${s.median.toFixed(2)} [${s.min.toFixed(1)}-${s.max.toFixed(1)}]`
  })
  console.log(`${name} ${side.padEnd(4)} ${cells.join('  ')}`)
}
process.exit()
