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
mkdirSync('test-artifacts', { recursive: true })
const report = 'test-artifacts/vitest-report.json'
const args = [
  'vitest',
  'run',
  '--reporter=default',
  `--reporter=json`,
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]
const run = spawnSync('npx', ['--no-install', ...args], { stdio: 'inherit' })
let summary
try {
  const r = JSON.parse(readFileSync(report, 'utf8'))
  summary =
    `${r.numPassedTests} passed, ${r.numFailedTests} failed` +
    (r.numPendingTests ? `, ${r.numPendingTests} skipped` : '')
} catch {
  summary = `0 passed, 1 failed`
}
console.log(`\ntests: ${summary}`)
process.exit(run.status ?? 1)
