// Test harness: sandboxes opened by a test file are disposed after it, and a run's value is read
// with a failure that says why the run failed.
import { afterAll } from 'vitest'
import { createSandbox, type RunResult, type Sandbox, type SandboxOptions } from '../src/index.ts'

/** A function that opens sandboxes with these defaults, each disposed when the file's tests end. */
export function sandboxOpener(defaults: SandboxOptions): (options?: SandboxOptions) => Promise<Sandbox> {
  const open: Sandbox[] = []
  afterAll(async () => {
    await Promise.all(open.map((sb) => sb.dispose()))
  })
  return async (options = {}) => {
    const sb = await createSandbox({ ...defaults, ...options })
    open.push(sb)
    return sb
  }
}

export function valueOfRun(r: RunResult): unknown {
  if (!r.ok) throw new Error(`run failed: ${r.error.code} ${r.error.message}`)
  return r.value
}
