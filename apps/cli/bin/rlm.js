#!/usr/bin/env node
// The rlm command as installed: checks the Node version, then runs the built CLI. (In the
// repository, the root scripts start tooling/scripts/rlm-workspace.mjs instead, which also runs
// the TypeScript source when dist/ is missing or stale.)
import { existsSync } from 'node:fs'
import module from 'node:module'

const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  console.error(
    `rlm: error E_USAGE: rlm needs Node >= 22 (this is ${process.version}); install a newer Node (exit 2)`,
  )
  process.exit(2)
}
const main = new URL('../dist/main.js', import.meta.url)
if (!existsSync(main)) {
  console.error(
    'rlm: error E_INTERNAL: this copy of @rlm/cli has no dist/; reinstall it, or in the repository run `npx -y pnpm@10 rlm ...` (exit 5)',
  )
  process.exit(5)
}
// Node's on-disk compile cache (22.1+) roughly halves start-up for the SDKs loaded on the first call.
module.enableCompileCache?.()
await import(main.href)
