// SandboxFactory: what makes a sandbox. createSandbox is one; a program that runs guest code some
// other way (another process, a remote service, an in-memory fake in tests) implements the same
// and hands it to the engine (`createRlm({ sandbox })`).
import type { SandboxOptions } from './options.ts'
import type { Sandbox } from './sandbox.ts'

/**
 * Creates a sandbox with the given globals, host functions and prelude installed; rejects when it
 * cannot start. The sandbox's run() must never reject for anything the guest does.
 */
export type SandboxFactory = (options: SandboxOptions) => Promise<Sandbox>
