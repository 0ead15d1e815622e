// Runs the real `rlm` bin as a subprocess (as users and the acceptance suite do) and collects
// its exit code, stdout and stderr.

import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// The workspace launcher: the build when current, else the source (apps/cli/bin/rlm.js needs dist/).
export const BIN = fileURLToPath(new URL('../../../tooling/scripts/rlm-workspace.mjs', import.meta.url))

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Environment without provider keys, base URLs or RLM_* settings from the machine running the
 * tests, and with empty user config and cache directories (never the tester's ~/.config/rlm or
 * ~/.cache/rlm); a test that runs twice over one cache passes its own XDG_CACHE_HOME.
 */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (/^RLM_|_API_KEY$|_BASE_URL$|^NO_COLOR$|^FORCE_COLOR$/.test(k)) continue
    env[k] = v
  }
  env.XDG_CONFIG_HOME = tempDir('rlm-xdg-')
  env.XDG_CACHE_HOME = tempDir('rlm-xdg-cache-')
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v
  return env
}

export function tempDir(prefix = 'rlm-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function runCli(
  args: string[],
  options: {
    cwd?: string
    env?: Record<string, string | undefined>
    input?: string
    timeoutMs?: number
  } = {},
): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? tempDir(),
    env: cleanEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  child.stdin.end(options.input ?? '')
  return collect(child, options.timeoutMs)
}

/**
 * Runs a bash line in which `rlm` is the CLI, so stdin can be a real pipe (`printf … | rlm`),
 * a redirected file or a FIFO (`<(…)`): a Node parent's 'pipe' is a socket pair instead.
 */
export function runShell(line: string, options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  const child = spawn('bash', ['-c', `rlm() { "$NODE_EXE" "$CLI_BIN" "$@"; }\n${line}`], {
    cwd: options.cwd ?? tempDir(),
    env: cleanEnv({ NODE_EXE: process.execPath, CLI_BIN: BIN }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return collect(child, options.timeoutMs)
}

function collect(child: ChildProcess, timeoutMs = 30_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    child.stdout?.setEncoding('utf8').on('data', (d) => {
      stdout += d
    })
    child.stderr?.setEncoding('utf8').on('data', (d) => {
      stderr += d
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}
