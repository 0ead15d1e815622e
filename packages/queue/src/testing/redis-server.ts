// A private redis-server for tests and benchmarks: a free loopback port, a temporary directory,
// append-only persistence on, stopped (and optionally restarted on the same port and data) at will.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RlmError } from '@rlm/errors'

export interface RedisServerOptions {
  /** The redis-server binary (default: `redis-server` on PATH, or RLM_REDIS_SERVER). */
  binary?: string
  /** Keep an append-only file so a restart finds every job again (default true). */
  appendOnly?: boolean
}

export interface RedisServer extends AsyncDisposable {
  /** redis://127.0.0.1:<port> */
  readonly url: string
  readonly port: number
  /** Where the server keeps its append-only file. */
  readonly dir: string
  /** Stops the server with SIGTERM (it writes its append-only file first); the data stays. */
  stop(): Promise<void>
  /** Starts the server again on the same port and data directory. */
  start(): Promise<void>
  /** Stops the server and deletes its data directory. */
  close(): Promise<void>
}

/** Throws a loud E_CONFIG when redis-server cannot be run: queue tests must never skip silently. */
export function assertRedisServerInstalled(binary = defaultBinary()): void {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' })
  if (probe.error || probe.status !== 0) {
    throw new RlmError(
      'E_CONFIG',
      `redis-server is not installed (tried '${binary}'): install it (Debian: apt-get install -y redis-server) or set RLM_REDIS_SERVER to its path.`,
      { cause: probe.error },
    )
  }
}

function defaultBinary(): string {
  return process.env.RLM_REDIS_SERVER ?? 'redis-server'
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Starts redis-server and resolves once it accepts connections. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = options.binary ?? defaultBinary()
  assertRedisServerInstalled(binary)
  const dir = await mkdtemp(join(tmpdir(), 'rlm-redis-'))
  const port = await freePort()
  const args = redisArgs(port, dir, options.appendOnly !== false)
  let child: ChildProcess | undefined

  const start = async (): Promise<void> => {
    if (child) return
    const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    child = proc
    await untilReady(proc, () => {
      if (child === proc) child = undefined
    })
    proc.removeAllListeners('exit')
    proc.once('exit', () => {
      if (child === proc) child = undefined
    })
  }

  const stop = async (): Promise<void> => {
    const proc = child
    if (!proc) return
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
    proc.kill('SIGTERM')
    await exited
    child = undefined
  }

  const close = async (): Promise<void> => {
    await stop()
    await rm(dir, { recursive: true, force: true })
  }

  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    stop,
    start,
    close,
    [Symbol.asyncDispose]: close,
  }
}

function redisArgs(port: number, dir: string, appendOnly: boolean): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    appendOnly ? 'yes' : 'no',
    '--appendfsync',
    'everysec',
    '--dir',
    dir,
  ]
}

/** Resolves when the server says it accepts connections; rejects (after `exited`) if it stops first. */
async function untilReady(proc: ChildProcess, exited: () => void): Promise<void> {
  let output = ''
  proc.stdout?.on('data', (b: Buffer) => {
    if (output.length < 20_000) output += b.toString()
  })
  proc.stderr?.on('data', (b: Buffer) => {
    if (output.length < 20_000) output += b.toString()
  })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new RlmError('E_INTERNAL', `redis-server did not start within 10 s: ${output.slice(-2000)}`))
    }, 10_000)
    const onData = (): void => {
      if (/Ready to accept connections/i.test(output)) {
        clearTimeout(timer)
        proc.stdout?.off('data', onData)
        resolve()
      }
    }
    proc.stdout?.on('data', onData)
    proc.once('exit', (code) => {
      clearTimeout(timer)
      exited()
      reject(
        new RlmError('E_INTERNAL', `redis-server exited (${code}) while starting: ${output.slice(-2000)}`),
      )
    })
  })
}
