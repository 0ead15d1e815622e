// The model server in its own process (as any model server would be), so its JSON and hashing
// work never lands on the measured process's event loop; driven through its /__bench/ routes.
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import type { ServerStats } from './loopback-model-server.ts'
import type { ModelScriptInput } from './model-script.ts'

export interface BenchServer {
  /** The OpenAI base URL, e.g. http://127.0.0.1:40123/v1 */
  readonly baseURL: string
  /** Replaces the script and zeroes the stats. */
  play(script: ModelScriptInput): Promise<void>
  stats(): Promise<ServerStats>
  resetStats(): Promise<void>
  close(): Promise<void>
}

export async function spawnModelServer(): Promise<BenchServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(import.meta.dirname, 'model-server.ts'), '--port', '0', '--stdin-lifeline'],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  )
  const baseURL = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout?.setEncoding('utf8')
    child.stdout?.on('data', (d: string) => {
      out += d
      const m = /listening: (\S+)/.exec(out)
      if (m) resolve(m[1] as string)
    })
    child.once('error', reject)
    child.once('exit', (code) =>
      reject(new Error(`the model server exited with ${code} before listening: ${out}`)),
    )
  })
  const origin = new URL(baseURL).origin
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${origin}/__bench/${path}`, {
      method,
      ...(body !== undefined && {
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      }),
    })
    const json = (await res.json()) as { error?: { message: string } }
    if (!res.ok) throw new Error(`model server ${method} ${path}: ${json.error?.message ?? res.status}`)
    return json
  }
  return {
    baseURL,
    play: async (script) => {
      await call('PUT', 'script', script)
    },
    stats: async () => (await call('GET', 'stats')) as ServerStats,
    resetStats: async () => {
      await call('POST', 'reset')
    },
    close: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}
