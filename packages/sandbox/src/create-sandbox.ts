// createSandbox: validate options, start a worker with everything installed, hand back the sandbox.
import { issueLines, RlmError } from '@rlm/errors'
import { z } from 'zod'
import { memoryPagesFor } from './memory-pages.ts'
import { memoryLimitSchema, type SandboxOptions, sandboxOptionsSchema } from './options.ts'
import { HostSandbox, type Sandbox } from './sandbox.ts'
import { prewarmWorkers } from './worker-pool.ts'

/**
 * Creates a sandbox: a QuickJS context in its own worker thread with the given globals, host
 * functions and prelude installed. Rejects with RlmError `E_CONFIG` for invalid options and
 * `E_SANDBOX_INIT` when the globals do not fit or the prelude throws.
 */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const parsed = sandboxOptionsSchema.safeParse(options)
  if (!parsed.success) {
    const details = issueLines(parsed.error.issues)
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

export interface PrewarmOptions {
  /** Spare workers to keep ready from now on (default 1; 0 stops keeping spares). */
  count?: number
  /** Memory limit of the sandboxes the spares are for (default 128 MiB, as createSandbox). */
  memoryLimitBytes?: number
}

const prewarmSchema = z.object({
  count: z.number().int().min(0).max(64).default(1),
  memoryLimitBytes: memoryLimitSchema,
})

/**
 * Compiles QuickJS and keeps `count` spare workers ready, so the next `count` createSandbox calls
 * (with this memory limit) take a few milliseconds each. Each spare costs a thread and its heap
 * (see the README for the measured RSS). A create that takes a spare refills the pool in the
 * background, one worker at a time. Resolves when the spares are warm; rejects with `E_CONFIG`.
 */
export async function prewarmSandbox(options: PrewarmOptions = {}): Promise<void> {
  const parsed = prewarmSchema.safeParse(options)
  if (!parsed.success) {
    const details = issueLines(parsed.error.issues)
    throw new RlmError('E_CONFIG', `Invalid prewarmSandbox options: ${details.join('; ')}`, {
      details: { issues: details },
    })
  }
  await prewarmWorkers(memoryPagesFor(parsed.data.memoryLimitBytes, 0), parsed.data.count)
}
