// Starts test/fixtures/worker-process.ts as a child process (a worker "on another machine").
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import type { RunWorkerOptions } from '../src/index.ts'

export interface WorkerProcess {
  readonly child: ChildProcess
  readonly id: string
  /** Resolves with the exit code or signal. */
  readonly exited: Promise<number | NodeJS.Signals | null>
}

export async function startWorkerProcess(options: RunWorkerOptions): Promise<WorkerProcess> {
  const script = join(import.meta.dirname, 'fixtures', 'worker-process.ts')
  const child = spawn(
    process.execPath,
    ['--conditions=@rlm/source', '--max-old-space-size=512', script, JSON.stringify(options)],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OPENAI_API_KEY: 'test-key' } },
  )
  let stderr = ''
  child.stderr?.on('data', (b: Buffer) => {
    if (stderr.length < 20_000) stderr += b.toString()
  })
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  )
  const id = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString()
      const m = /ready (\S+)/.exec(out)
      if (m) resolve(m[1] as string)
    })
    exited.then((code) =>
      reject(new Error(`worker process exited (${String(code)}) before it was ready: ${stderr}`)),
    )
  })
  return { child, id, exited }
}
