// Runs the whole workspace's tests in one vitest process, then prints one plain summary line
// ("N passed, N failed") that CI readers understand whatever the runner.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'

const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  console.error(
    `rlm needs Node >= 22 for its scripts, got ${process.version}: run them through pnpm (npx -y pnpm@10 test), which puts the repo's own Node first on PATH.`,
  )
  process.exit(2)
}
// `--set <name>` runs one of the slow end-to-end sets instead (see tooling/vitest/index.js).
const argv = process.argv.slice(2)
const setAt = argv.indexOf('--set')
const set = setAt >= 0 ? argv.splice(setAt, 2)[1] : undefined
mkdirSync('test-artifacts', { recursive: true })
const report = `test-artifacts/vitest-report${set ? `-${set}` : ''}.json`
const args = [
  'vitest',
  'run',
  '--reporter=default',
  `--reporter=json`,
  `--outputFile.json=${report}`,
  ...argv,
]
const env = set ? { ...process.env, RLM_TEST_SET: set } : process.env
const run = spawnSync('npx', ['--no-install', ...args], { stdio: 'inherit', env })
let summary
let failed = false
try {
  const r = JSON.parse(readFileSync(report, 'utf8'))
  // A slow set runs as its own CI step to prove something end to end: none found or one skipped fails it.
  if (set && (r.numTotalTests === 0 || r.numPendingTests > 0)) failed = true
  summary =
    (r.numTotalTests === 0 ? 'no tests found, ' : '') +
    `${r.numPassedTests} passed, ${r.numFailedTests} failed` +
    (r.numPendingTests ? `, ${r.numPendingTests} skipped` : '')
} catch {
  summary = `0 passed, 1 failed`
}
console.log(`\ntests${set ? ` (${set})` : ''}: ${summary}`)
if (failed) console.error(`the ${set} set must run every test it has (none found or some skipped)`)
process.exit(failed ? 1 : (run.status ?? 1))
