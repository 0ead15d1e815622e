#!/usr/bin/env node
// The rlm command inside this repository (the root `rlm` and `demo` scripts, the CLI's tests and
// benchmarks): runs apps/cli's build when it is current, else its TypeScript source (so a stale
// dist/ never runs), re-executing on the repository's own Node (>= 22) when started by an older
// one. The published bin (apps/cli/bin/rlm.js) does none of this: it runs dist/.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import module from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const cli = join(here, '..', '..', 'apps', 'cli')
const built = join(cli, 'dist', 'main.js')
const sourceDir = join(cli, 'src')
const source = join(sourceDir, 'main.ts')
const major = Number(process.versions.node.split('.')[0])

function newestMtime(dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue
    const m = statSync(join(entry.parentPath, entry.name)).mtimeMs
    if (m > newest) newest = m
  }
  return newest
}

function builtIsCurrent() {
  if (!existsSync(built)) return false
  if (process.env.RLM_CLI_SOURCE === '1') return false
  if (!existsSync(source)) return true
  try {
    return statSync(built).mtimeMs >= newestMtime(sourceDir)
  } catch {
    return true
  }
}

function newerNode() {
  for (let dir = here; dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', 'node', 'bin', 'node')
    if (existsSync(candidate)) return candidate
  }
  return undefined
}

function reexec(node, args) {
  const child = spawn(node, args, { stdio: 'inherit' })
  // Forward signals sent to this launcher alone; a terminal's Ctrl-C reaches both processes, and
  // the CLI counts signals that arrive together as one press.
  process.on('SIGINT', () => child.kill('SIGINT'))
  child.on('error', (err) => {
    console.error(`rlm: error E_INTERNAL: could not start ${node}: ${err.message} (exit 5)`)
    process.exit(5)
  })
  child.on('exit', (code, signal) => {
    process.exit(code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1))
  })
  process.on('SIGTERM', () => child.kill('SIGTERM'))
}

const useSource = !builtIsCurrent()
const sourceFlags = ['--conditions=@rlm/source', '--disable-warning=ExperimentalWarning']
if (major < 22 || (useSource && major < 23)) {
  const node = newerNode()
  if (!node) {
    console.error(
      `rlm: error E_USAGE: rlm needs Node >= 22 (this is ${process.version}). Install a newer Node, or run it through the repository: npx -y pnpm@10 rlm ... (exit 2)`,
    )
    process.exit(2)
  }
  reexec(node, [...(useSource ? sourceFlags : []), useSource ? source : built, ...process.argv.slice(2)])
} else if (useSource && !process.execArgv.some((a) => a.includes('@rlm/source'))) {
  reexec(process.execPath, [...sourceFlags, source, ...process.argv.slice(2)])
} else {
  // Node's on-disk compile cache (22.1+) roughly halves start-up for the SDKs loaded on the first call.
  module.enableCompileCache?.()
  await import(pathToFileURL(useSource ? source : built).href)
}
