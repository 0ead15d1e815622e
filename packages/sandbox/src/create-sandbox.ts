// createSandbox: validate options, start a worker with everything installed, hand back the sandbox.
import { RlmError } from '@rlm/errors'
import { memoryPagesFor } from './memory-pages.ts'
import { type SandboxOptions, sandboxOptionsSchema } from './options.ts'
import { HostSandbox, type Sandbox } from './sandbox.ts'
import { prewarmWorker } from './worker-pool.ts'

/**
 * Creates a sandbox: a QuickJS context in its own worker thread with the given globals, host
 * functions and prelude installed. Rejects with RlmError `E_CONFIG` for invalid options and
 * `E_SANDBOX_INIT` when the globals do not fit or the prelude throws.
 */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const parsed = sandboxOptionsSchema.safeParse(options)
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`)
    throw new RlmError('E_CONFIG', `Invalid sandbox options: ${details.join('; ')}`, {
      details: { issues: details },
    })
  }
  const sandbox = new HostSandbox(parsed.data)
  try {
    await sandbox.start()
  } catch (error) {
    await sandbox.dispose()
    throw error
  }
  return sandbox
}

/**
 * Compiles QuickJS and starts a spare worker in the background, so the next createSandbox (with
 * this memory limit) takes a few milliseconds. Optional: the first create does it anyway.
 */
export function prewarmSandbox(options: Pick<SandboxOptions, 'memoryLimitBytes'> = {}): Promise<void> {
  const limit = options.memoryLimitBytes ?? 128 * 2 ** 20
  return prewarmWorker(memoryPagesFor(limit, 0))
}
