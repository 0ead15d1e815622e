#!/usr/bin/env node
// Launcher for the rlm command. It runs the built CLI, re-executing itself on the repository's own
// Node (>= 22) when started by an older one, and falls back to the TypeScript source in a checkout
// that has not been built.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const built = join(here, '..', 'dist', 'main.js')
const source = join(here, '..', 'src', 'main.ts')
const major = Number(process.versions.node.split('.')[0])

function newerNode() {
  for (let dir = here; dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', 'node', 'bin', 'node')
    if (existsSync(candidate)) return candidate
  }
  return undefined
}

function reexec(node, args) {
  const r = spawnSync(node, args, { stdio: 'inherit' })
  if (r.error) {
    console.error(`rlm: could not start ${node}: ${r.error.message}`)
    process.exit(5)
  }
  process.exit(r.status ?? (r.signal === 'SIGINT' ? 130 : 1))
}

const useSource = !existsSync(built)
if (major < 22 || (useSource && major < 23)) {
  const node = newerNode()
  if (!node) {
    console.error(
      `rlm needs Node >= 22 (this is ${process.version}). Install a newer Node, or run it through the repository: npx -y pnpm@10 rlm ...`,
    )
    process.exit(2)
  }
  reexec(node, [
    ...(useSource ? ['--conditions=@rlm/source', '--disable-warning=ExperimentalWarning'] : []),
    useSource ? source : built,
    ...process.argv.slice(2),
  ])
} else if (useSource && !process.execArgv.some((a) => a.includes('@rlm/source'))) {
  reexec(process.execPath, [
    '--conditions=@rlm/source',
    '--disable-warning=ExperimentalWarning',
    source,
    ...process.argv.slice(2),
  ])
} else {
  await import(pathToFileURL(useSource ? source : built).href)
}
