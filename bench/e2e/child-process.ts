// Runs a job of child-jobs.ts in a fresh Node process (cold start, and memory figures no earlier
// scenario can disturb) and returns what it reported plus the wall time from spawn to exit.
import { spawn } from 'node:child_process'
import { join } from 'node:path'

export interface ChildOutcome<T> {
  result: T
  /** From just before spawn to the process's exit. */
  wallMs: number
  /** Wall-clock time (ms since the epoch) just before spawn. */
  spawnedAt: number
}

export async function runChild<T>(job: string, args: Record<string, unknown>): Promise<ChildOutcome<T>> {
  const script = join(import.meta.dirname, 'child-jobs.ts')
  const spawnedAt = performance.timeOrigin + performance.now()
  const start = performance.now()
  const child = spawn(
    process.execPath,
    // RLM_BENCH_CHILD_ARGS adds Node flags to the child, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    [
      '--conditions=@rlm/source',
      '--expose-gc',
      ...(process.env.RLM_BENCH_CHILD_ARGS?.split(' ').filter(Boolean) ?? []),
      script,
      job,
      JSON.stringify(args),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let out = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (d: string) => {
    out += d
  })
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  const wallMs = performance.now() - start
  const last = out.trim().split('\n').at(-1) ?? ''
  if (code !== 0) throw new Error(`child job ${job} exited with ${code}: ${out.slice(-2000)}`)
  return { result: JSON.parse(last) as T, wallMs, spawnedAt }
}

/** Wall time of spawning a bare `node -e` that exits at once: the floor under every cold figure. */
export async function bareNodeMs(code = '0'): Promise<number> {
  const start = performance.now()
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' })
  await new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  return performance.now() - start
}
