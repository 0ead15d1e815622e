// Entry point of the benchmark child processes: `node child-jobs.ts <job> <json args>` runs one
// job and prints its figures as the last line of stdout (JSON).
import { readFileSync } from 'node:fs'
import { makeText } from './context-text.ts'
import { peakRss, settledMemory } from './process-memory.ts'
import type { TenIterationsReport } from './scenarios/ten-iterations.ts'

type Job = (args: Record<string, unknown>) => Promise<unknown>

const jobs: Record<string, Job> = {
  /** Scenarios 1 (cold) and 2: the ten turns over a context file, read as a string or loaded. */
  async 'ten-iterations'(args) {
    const { directTenTurns, runTenIterations } = await import('./scenarios/ten-iterations.ts')
    const baseURL = String(args.baseURL)
    const file = String(args.file)
    let baseline = settledMemory()
    if (args.warmUp) {
      await runTenIterations(baseURL, makeText(64 * 1024))
      baseline = settledMemory()
    }
    const start = performance.now()
    // The cold job reads a string, as a library user would pass it; the 40 MiB job loads the file.
    const context = args.load
      ? await (await import('@rlm/context')).loadContext({ path: file })
      : readFileSync(file, 'utf8')
    const loaded = performance.now()
    await runTenIterations(baseURL, context)
    const end = performance.now()
    const peak = peakRss()
    return {
      sinceStartMs: end,
      loadMs: loaded - start,
      runMs: end - loaded,
      directMs: typeof context === 'string' ? 0 : directTenTurns(context),
      baseline,
      peakRss: peak,
    } satisfies TenIterationsReport
  },
  async 'many-sub-calls'(args) {
    const { runManySubCalls } = await import('./scenarios/many-sub-calls.ts')
    return runManySubCalls(String(args.baseURL), Number(args.count), Number(args.concurrency))
  },
  async 'huge-context'(args) {
    const { runHugeContext } = await import('./scenarios/huge-context.ts')
    return runHugeContext(String(args.baseURL), String(args.file))
  },
  async 'run-overhead'(args) {
    const { runOverhead } = await import('./scenarios/run-overhead.ts')
    return runOverhead(String(args.baseURL), Number(args.rounds))
  },
  async 'child-machinery'(args) {
    const { runChildMachinery } = await import('./scenarios/child-machinery.ts')
    return runChildMachinery(String(args.baseURL), Number(args.runs))
  },
  async 'string-memory'(args) {
    const { runStringMemory } = await import('./scenarios/string-memory.ts')
    return runStringMemory(String(args.baseURL), String(args.file), Number(args.more))
  },
  async 'cold-fanout'(args) {
    const { runColdFanout } = await import('./scenarios/cold-fanout.ts')
    return runColdFanout(String(args.baseURL))
  },
  async 'generate-burst'(args) {
    const { runGenerateBurst } = await import('./scenarios/cold-fanout.ts')
    return runGenerateBurst(String(args.baseURL), Number(args.rounds))
  },
}

const [name = '', raw = '{}'] = process.argv.slice(2)
const job = jobs[name]
if (!job) {
  console.error(`child-jobs: unknown job "${name}"; one of ${Object.keys(jobs).join(', ')}`)
  process.exit(2)
}
const result = await job(JSON.parse(raw) as Record<string, unknown>)
process.stdout.write(`\n${JSON.stringify(result)}\n`)
// Sandbox workers and keep-alive sockets would hold the process open; the figures are out.
process.exit(0)
